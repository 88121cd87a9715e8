// What CLI commands share: the database for one command, the operator's root institution, lookups by
// id or name (a name that is missing or ambiguous is bad input: exit 2 with one line).
import { loadConfig } from '../config.ts';
import { KekError, loadKek } from '../modules/protection/kek.ts';
import { CliError } from './output.ts';
import { cliServices, openDatabase } from './runtime.ts';

export type CliDb = Awaited<ReturnType<typeof openDatabase>>['db'];

export async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase(loadConfig(), () => {}, { attach: true });
  try {
    return await fn(database);
  } finally {
    await chainPendingEvents(database.db);
    await database.close();
  }
}

export async function rootInstitution(db: CliDb) {
  return (await db.selectFrom('institutions').select('id').where('parent_id', 'is', null).orderBy('created_at').executeTakeFirst())?.id ?? null;
}

/** An institution by UUID or exact name. */
export async function findInstitution(db: CliDb, ref: string): Promise<{ id: string; name: string }> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const rows = await db
    .selectFrom('institutions')
    .select(['id', 'name'])
    .where(isUuid ? 'id' : 'name', '=', ref)
    .execute();
  if (rows.length === 0) throw new CliError(`机构不存在 / no such institution: ${ref}`, 2);
  if (rows.length > 1) throw new CliError(`有多个同名机构，请改用机构 ID / several institutions are named "${ref}"; use the ID`, 2);
  return rows[0] as { id: string; name: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A data resource by UUID or exact name (a name used by several resources must be given as the ID). */
export async function findResource(db: CliDb, ref: string): Promise<{ id: string; name: string; institutionId: string }> {
  const rows = await db
    .selectFrom('data_resources')
    .select(['id', 'name', 'institution_id'])
    .where(UUID.test(ref) ? 'id' : 'name', '=', ref)
    .execute();
  if (rows.length === 0) throw new CliError(`数据资源不存在 / no such data resource: ${ref}`, 2);
  if (rows.length > 1) throw new CliError(`有多个同名数据资源，请改用资源 ID / several data resources are named "${ref}"; use the ID`, 2);
  const r = rows[0] as { id: string; name: string; institution_id: string };
  return { id: r.id, name: r.name, institutionId: r.institution_id };
}

/**
 * AUD-2: the audit events a command wrote are put on the chain before it exits. Without a KEK here (a
 * command that needed none) they stay pending and the next server process chains them; say so.
 */
async function chainPendingEvents(db: CliDb): Promise<void> {
  const pending = await db.selectFrom('audit_pending').select('seq').limit(1).executeTakeFirst();
  if (!pending) return;
  const config = loadConfig();
  try {
    loadKek({ env: process.env, dataDir: config.dataDir, createIfMissing: false });
  } catch (err) {
    // No KEK configured for this command: the server (which has one) chains them.
    if (err instanceof KekError) return;
    throw err;
  }
  try {
    await cliServices(config, db).auditLog.flush();
  } catch (err) {
    console.error(`shuan: 审计事件尚未入链，平台服务启动后将自动完成 / audit events left pending for the server to chain (${(err as Error).message})`);
  }
}
