// Open data releases (issue 7; docs/sharing-contract.md "Open data"): LIF-7, HZ-26, GZ-17, ZZ-23.
//
// - open_data_releases: an institution's proposal to open some fields of one of its resources to the public,
//   with the checks' outcome (grade, personal information left, k-anonymity), the reviewer's GZ-17
//   confirmations and decision, and the file currently published. `downloads` counts public downloads (a
//   counter, not an audit event per download).
// - open_data_files: each published snapshot (the de-identified CSV, UTF-8 with BOM) with its SM3. Evidence of
//   what the public was given: append-only.
// - open_data_changes: the public changelog (published, refreshed, withdrawn). Append-only.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE open_data_releases (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      resource_id uuid NOT NULL REFERENCES data_resources(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      title text NOT NULL,
      description text NOT NULL,
      fields jsonb NOT NULL,
      quasi_identifiers jsonb NOT NULL,
      k integer NOT NULL CHECK (k BETWEEN 2 AND 10000),
      max_suppression integer NOT NULL DEFAULT 0 CHECK (max_suppression >= 0),
      licence text NOT NULL,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'published', 'rejected', 'withdrawn')),
      checks jsonb,
      checked_at timestamptz,
      checked_dataset_version integer,
      checks_passed boolean NOT NULL DEFAULT false,
      confirmations jsonb,
      proposed_by uuid NOT NULL REFERENCES users(id),
      submitted_by uuid REFERENCES users(id),
      submitted_at timestamptz,
      reviewed_by uuid REFERENCES users(id),
      reviewed_at timestamptz,
      review_reason text,
      published_at timestamptz,
      withdrawn_at timestamptz,
      current_file_id uuid,
      downloads bigint NOT NULL DEFAULT 0,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX open_data_releases_institution_idx ON open_data_releases (institution_id, created_at DESC);
    CREATE INDEX open_data_releases_published_idx ON open_data_releases (published_at DESC) WHERE status = 'published';

    CREATE TABLE open_data_files (
      id uuid PRIMARY KEY,
      release_id uuid NOT NULL REFERENCES open_data_releases(id),
      seq integer NOT NULL,
      csv bytea NOT NULL,
      sm3 text NOT NULL CHECK (sm3 ~ '^[0-9a-f]{64}$'),
      rows integer NOT NULL CHECK (rows >= 0),
      dataset_version integer NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (release_id, seq)
    );
    ALTER TABLE open_data_releases ADD CONSTRAINT open_data_releases_current_file_fk
      FOREIGN KEY (current_file_id) REFERENCES open_data_files(id);

    CREATE TABLE open_data_changes (
      id uuid PRIMARY KEY,
      release_id uuid NOT NULL REFERENCES open_data_releases(id),
      at timestamptz NOT NULL DEFAULT now(),
      kind text NOT NULL CHECK (kind IN ('published', 'refreshed', 'withdrawn')),
      note text,
      changed_by uuid REFERENCES users(id),
      file_id uuid REFERENCES open_data_files(id)
    );
    CREATE INDEX open_data_changes_release_idx ON open_data_changes (release_id, at);

    -- What the public was given, and when, is evidence: never changed or removed.
    CREATE FUNCTION open_data_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER open_data_files_no_change BEFORE UPDATE OR DELETE ON open_data_files
      FOR EACH ROW EXECUTE FUNCTION open_data_append_only();
    CREATE TRIGGER open_data_files_no_truncate BEFORE TRUNCATE ON open_data_files
      FOR EACH STATEMENT EXECUTE FUNCTION open_data_append_only();
    CREATE TRIGGER open_data_changes_no_change BEFORE UPDATE OR DELETE ON open_data_changes
      FOR EACH ROW EXECUTE FUNCTION open_data_append_only();
    CREATE TRIGGER open_data_changes_no_truncate BEFORE TRUNCATE ON open_data_changes
      FOR EACH STATEMENT EXECUTE FUNCTION open_data_append_only();
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE open_data_releases DROP CONSTRAINT open_data_releases_current_file_fk;
    DROP TABLE open_data_changes, open_data_files, open_data_releases;
    DROP FUNCTION open_data_append_only();
  `.execute(db);
}
