// Deletion duties and error reports (issue 7; docs/sharing-contract.md): LIF-9, LIF-10, DG-11, DG-12.
//
// - deletion_duties: the data user's duty to delete (or, where deletion is technically impossible, to stop
//   processing) public data it received under a grant, in one of the nine DG-12 cases. Opened by the
//   provider, by a revocation, or by the platform when a grant's term ends (opened_by NULL). The holder
//   confirms with a statement and optional evidence file (SM3 kept); the provider accepts or reopens (a
//   reopen gives a new due date). At most one unfinished duty per (grant, case): the partial unique index
//   makes opening idempotent across processes. `history` keeps each step (who, when, what) for the record.
// - error_reports: a data user's or the public's report that a resource's data is wrong (DG-11: verified
//   within 15 working days of receipt). Record keys and contacts are personal or identifying: stored sealed
//   under a KEK-derived key (SM4 envelope, the row's id as AAD), never in clear. release_id names an
//   open-data release (0013) without a foreign key, as that table comes from a later migration.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE SEQUENCE deletion_duty_number_seq;
    CREATE TABLE deletion_duties (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      grant_id uuid NOT NULL REFERENCES share_grants(id),
      resource_id uuid NOT NULL REFERENCES data_resources(id),
      provider_institution_id uuid NOT NULL REFERENCES institutions(id),
      holder_institution_id uuid NOT NULL REFERENCES institutions(id),
      case_code text NOT NULL CHECK (case_code IN ('collection_beyond_scope', 'unsafe_environment', 'use_beyond_scope',
        'improper_procedure', 'purpose_achieved', 'function_ceased', 'term_expired', 'unlawful_processing', 'other_legal')),
      reason text NOT NULL,
      opened_by uuid REFERENCES users(id),
      opened_at timestamptz NOT NULL DEFAULT now(),
      due_date date NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'accepted')),
      outcome text CHECK (outcome IN ('deleted', 'processing_stopped')),
      statement text,
      confirmed_by uuid REFERENCES users(id),
      confirmed_at timestamptz,
      evidence_name text,
      evidence bytea,
      evidence_sm3 text CHECK (evidence_sm3 ~ '^[0-9a-f]{64}$'),
      evidence_size integer,
      evidence_uploaded_by uuid REFERENCES users(id),
      evidence_uploaded_at timestamptz,
      accepted_by uuid REFERENCES users(id),
      accepted_at timestamptz,
      reopen_count integer NOT NULL DEFAULT 0,
      reopened_by uuid REFERENCES users(id),
      reopened_at timestamptz,
      reopen_reason text,
      history jsonb NOT NULL DEFAULT '[]',
      version integer NOT NULL DEFAULT 1,
      CHECK (status = 'open' OR (outcome IS NOT NULL AND confirmed_by IS NOT NULL)),
      -- DG-12's last paragraph: data kept because deletion is technically impossible needs the reason why.
      CHECK (outcome IS DISTINCT FROM 'processing_stopped' OR length(btrim(statement)) > 0),
      CHECK (status <> 'accepted' OR accepted_by IS NOT NULL)
    );
    CREATE UNIQUE INDEX deletion_duties_one_unfinished ON deletion_duties (grant_id, case_code) WHERE status <> 'accepted';
    CREATE INDEX deletion_duties_holder_idx ON deletion_duties (holder_institution_id, opened_at DESC);
    CREATE INDEX deletion_duties_provider_idx ON deletion_duties (provider_institution_id, opened_at DESC);
    CREATE INDEX deletion_duties_open_idx ON deletion_duties (due_date) WHERE status = 'open';

    CREATE SEQUENCE error_report_number_seq;
    CREATE TABLE error_reports (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      resource_id uuid NOT NULL REFERENCES data_resources(id),
      provider_institution_id uuid NOT NULL REFERENCES institutions(id),
      source text NOT NULL CHECK (source IN ('user', 'public')),
      reporter_user_id uuid REFERENCES users(id),
      reporter_institution_id uuid REFERENCES institutions(id),
      release_id uuid,
      tracking_code text UNIQUE,
      record_key_sealed bytea,
      contact_sealed bytea,
      field text,
      description text NOT NULL,
      proposed_value text,
      received_at timestamptz NOT NULL DEFAULT now(),
      due_date date NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'corrected', 'rejected')),
      resolution text,
      resolved_by uuid REFERENCES users(id),
      resolved_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      CHECK (source = 'public' OR (reporter_user_id IS NOT NULL AND reporter_institution_id IS NOT NULL)),
      CHECK (source = 'user' OR tracking_code IS NOT NULL),
      CHECK (status = 'open' OR (resolution IS NOT NULL AND resolved_by IS NOT NULL))
    );
    CREATE INDEX error_reports_provider_idx ON error_reports (provider_institution_id, received_at DESC);
    CREATE INDEX error_reports_reporter_idx ON error_reports (reporter_institution_id, received_at DESC);
    CREATE INDEX error_reports_open_idx ON error_reports (due_date) WHERE status = 'open';
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE error_reports, deletion_duties;
    DROP SEQUENCE error_report_number_seq, deletion_duty_number_seq;
  `.execute(db);
}
