// One short-lived connection for administrative statements (CREATE/DROP DATABASE), which cannot run
// inside a pool's transaction and must not keep a connection to the template open.
import pg from 'pg';

export async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}
