// LIF-8 (HZ-23, GZ-15; docs/sharing-contract.md "LIF-8 关联分析评估"): joint / association analysis of shared
// data needs the data authority's assessment before approval.
//
// - share_requests.association: the check fixed at submission (engine sharing/association.ts: the resources the
//   request could be linked with and why, plus the applicant's own declaration and self-check), like the chain.
// - share_request_steps.kind gains 'association' (the authority's assessment step).
// - share_association_assessments: the assessment recorded with the decision of that step (conclusion, risks,
//   measures, who assessed, an optional report file with its SM3). Evidence: append-only, like the signatures.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE share_requests ADD COLUMN association jsonb;

    ALTER TABLE share_request_steps DROP CONSTRAINT share_request_steps_kind_check;
    ALTER TABLE share_request_steps ADD CONSTRAINT share_request_steps_kind_check
      CHECK (kind IN ('provider', 'association', 'authority', 'authority_second', 'exception'));

    CREATE TABLE share_association_assessments (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES share_requests(id),
      step_id uuid NOT NULL UNIQUE REFERENCES share_request_steps(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      conclusion text NOT NULL CHECK (conclusion IN ('acceptable', 'acceptable_with_measures', 'not_acceptable')),
      risks text NOT NULL CHECK (risks ~ '\\S'),
      measures text,
      assessor_kind text NOT NULL CHECK (assessor_kind IN ('authority', 'self', 'third_party')),
      assessor_org text,
      report_file_name text,
      report_file bytea,
      report_file_sm3 text CHECK (report_file_sm3 ~ '^[0-9a-f]{64}$'),
      recorded_by uuid NOT NULL REFERENCES users(id),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CHECK (conclusion <> 'acceptable_with_measures' OR measures ~ '\\S'),
      CHECK (assessor_kind <> 'third_party' OR assessor_org ~ '\\S'),
      CHECK ((report_file IS NULL) = (report_file_name IS NULL) AND (report_file IS NULL) = (report_file_sm3 IS NULL))
    );
    CREATE INDEX share_association_assessments_request_idx ON share_association_assessments (request_id);

    CREATE TRIGGER share_association_assessments_no_change BEFORE UPDATE OR DELETE ON share_association_assessments
      FOR EACH ROW EXECUTE FUNCTION sharing_evidence_append_only();
    CREATE TRIGGER share_association_assessments_no_truncate BEFORE TRUNCATE ON share_association_assessments
      FOR EACH STATEMENT EXECUTE FUNCTION sharing_evidence_append_only();
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE share_association_assessments;
    DELETE FROM share_request_steps WHERE kind = 'association';
    ALTER TABLE share_request_steps DROP CONSTRAINT share_request_steps_kind_check;
    ALTER TABLE share_request_steps ADD CONSTRAINT share_request_steps_kind_check
      CHECK (kind IN ('provider', 'authority', 'authority_second', 'exception'));
    ALTER TABLE share_requests DROP COLUMN association;
  `.execute(db);
}
