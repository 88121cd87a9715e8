// Masking policies per resource (PRT-4) and deliveries of masked, watermarked rows with the keys that trace
// a leak back to them (PRT-8, DG-15).
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- What each field holds for masking (target) where it differs from what the catalog labels imply, and
    -- the rules per scenario where they differ from the defaults of the field's grade.
    CREATE TABLE masking_policies (
      resource_id uuid PRIMARY KEY REFERENCES data_resources(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      targets jsonb NOT NULL DEFAULT '{}'::jsonb,
      rules jsonb NOT NULL DEFAULT '{}'::jsonb,
      version integer NOT NULL DEFAULT 1,
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- Every file of masked rows the platform produced for someone (a test-data copy today; grants' deliveries
    -- later): who got what, and the keys (wrapped by the KEK) that recompute its marks and pseudonyms.
    CREATE TABLE deliveries (
      id uuid PRIMARY KEY,
      resource_id uuid NOT NULL REFERENCES data_resources(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      recipient text NOT NULL,
      purpose text NOT NULL,
      scenario text NOT NULL CHECK (scenario IN ('display','test','sharing','open')),
      format text NOT NULL CHECK (format IN ('csv','xlsx','jsonl')),
      dataset_version integer NOT NULL,
      row_count integer NOT NULL,
      fields jsonb NOT NULL,
      mark_plan jsonb NOT NULL,
      file_sm3 text NOT NULL,
      kek_id text NOT NULL,
      mark_key bytea NOT NULL,
      mask_key bytea NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX deliveries_resource_idx ON deliveries (resource_id, created_at DESC);
    CREATE INDEX deliveries_institution_idx ON deliveries (institution_id);
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE deliveries; DROP TABLE masking_policies;`.execute(db);
}
