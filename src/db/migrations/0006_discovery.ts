// The authority's own discovery recognizers (issue 4): regex + optional checksum + column hints, added
// through the API without a release, used by every scan.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE discovery_recognizers (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      recognizers jsonb NOT NULL,
      version integer NOT NULL,
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE discovery_recognizers;`.execute(db);
}
