// Background jobs (issue 4 scan jobs, re-encryption and other long work): a small PostgreSQL-backed queue
// with leases (a job whose worker died is picked up again after its lease ends, so jobs survive a restart),
// cooperative cancellation and progress that the web shows.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE jobs (
      id uuid PRIMARY KEY,
      kind text NOT NULL,
      institution_id uuid REFERENCES institutions(id),
      resource_id uuid REFERENCES data_resources(id),
      params jsonb NOT NULL DEFAULT '{}'::jsonb,
      status text NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled')),
      progress jsonb NOT NULL DEFAULT '{}'::jsonb,
      result jsonb,
      error jsonb,
      cancel_requested boolean NOT NULL DEFAULT false,
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
      lease_owner text,
      lease_until timestamptz,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX jobs_claim_idx ON jobs (created_at) WHERE status IN ('queued','running');
    CREATE INDEX jobs_resource_idx ON jobs (resource_id, created_at DESC);
    CREATE INDEX jobs_institution_idx ON jobs (institution_id, created_at DESC);
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE jobs;`.execute(db);
}
