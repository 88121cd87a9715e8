// AUD-4 (DG-28: periodic audit reports "within period") and AUD-5 (third parties' operations reviewed):
// the record of the reports produced and of the vendor activity reviews concluded on them.
//
// - audit_reports: one row per report generated and archived: the institution it covers (its subtree), the
//   period [from, to), who generated it and when, the summary as computed (jsonb) and the XLSX file handed
//   out, with its SM3 hash, so the archived file can be checked against the record.
// - audit_vendor_reviews: the auditor's conclusion on a report's vendor activity section (one per report).
// Both are evidence: they refuse UPDATE, DELETE and TRUNCATE, for every client of the database.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_reports (
      id uuid PRIMARY KEY,
      institution_id uuid NOT NULL REFERENCES institutions(id),
      period_from timestamptz NOT NULL,
      period_to timestamptz NOT NULL,
      generated_by uuid REFERENCES users(id),
      generated_at timestamptz NOT NULL DEFAULT now(),
      summary jsonb NOT NULL,
      file_name text NOT NULL,
      xlsx bytea NOT NULL,
      xlsx_sm3 text NOT NULL CHECK (xlsx_sm3 ~ '^[0-9a-f]{64}$'),
      CHECK (period_to > period_from)
    );
    CREATE INDEX audit_reports_institution_idx ON audit_reports (institution_id, generated_at DESC);

    CREATE TABLE audit_vendor_reviews (
      id uuid PRIMARY KEY,
      report_id uuid NOT NULL UNIQUE REFERENCES audit_reports(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      conclusion text NOT NULL CHECK (conclusion IN ('satisfactory', 'issues_found')),
      findings text,
      reviewed_by uuid REFERENCES users(id),
      reviewed_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE FUNCTION audit_reports_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_reports_no_change BEFORE UPDATE OR DELETE ON audit_reports
      FOR EACH ROW EXECUTE FUNCTION audit_reports_append_only();
    CREATE TRIGGER audit_reports_no_truncate BEFORE TRUNCATE ON audit_reports
      FOR EACH STATEMENT EXECUTE FUNCTION audit_reports_append_only();
    CREATE TRIGGER audit_vendor_reviews_no_change BEFORE UPDATE OR DELETE ON audit_vendor_reviews
      FOR EACH ROW EXECUTE FUNCTION audit_reports_append_only();
    CREATE TRIGGER audit_vendor_reviews_no_truncate BEFORE TRUNCATE ON audit_vendor_reviews
      FOR EACH STATEMENT EXECUTE FUNCTION audit_reports_append_only();
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE audit_vendor_reviews, audit_reports; DROP FUNCTION audit_reports_append_only();`.execute(db);
}
