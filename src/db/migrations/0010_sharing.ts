// Sharing through the platform (issue 7; docs/sharing-contract.md): LIF-3..5, HZ-24, DG-17, ZZ-22.
//
// - signing_keys: each person's SM2 signing key for agreements (private key wrapped by the KEK, never in
//   clear; one active key per user). Signing inside the platform = the server signs with the person's key
//   after the person re-authenticates (password, and TOTP when enrolled).
// - share_requests: a data user's application for one resource (LIF-4: content = fields, scope = row filter,
//   method, term, purpose and legal basis, security measures, liability accepted).
// - share_request_steps: the approval chain, one row per step, each with a working-day deadline.
// - share_request_evidence: the provider's requests for evidence of the applicant's capability and the answers.
// - share_agreements / agreement_signatures: the security agreement text and the two parties' SM2 signatures
//   over it (signatures are evidence: append-only).
// - share_grants: the right to use the resource through the gateway, bound to the signed agreement.
//   A grant without a signed agreement cannot exist (LIF-4's check): agreement_id is NOT NULL and unique.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE signing_keys (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
      algorithm text NOT NULL DEFAULT 'SM2',
      public_key text NOT NULL,
      fingerprint text NOT NULL,
      kek_id text NOT NULL,
      wrapped bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    );
    CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (user_id) WHERE status = 'active';

    CREATE TABLE share_requests (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      resource_id uuid NOT NULL REFERENCES data_resources(id),
      provider_institution_id uuid NOT NULL REFERENCES institutions(id),
      applicant_institution_id uuid NOT NULL REFERENCES institutions(id),
      applicant_user_id uuid NOT NULL REFERENCES users(id),
      fields jsonb NOT NULL,
      row_filter jsonb,
      purpose text NOT NULL,
      purpose_code text NOT NULL CHECK (purpose_code ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
      legal_basis text NOT NULL,
      scenario text NOT NULL,
      method text NOT NULL CHECK (method IN ('interface', 'file')),
      term_start date NOT NULL,
      term_end date NOT NULL,
      security_measures text NOT NULL,
      liability_accepted boolean NOT NULL CHECK (liability_accepted),
      rate_per_minute integer NOT NULL CHECK (rate_per_minute BETWEEN 1 AND 100000),
      rows_per_day integer NOT NULL CHECK (rows_per_day BETWEEN 1 AND 100000000),
      share_attribute text NOT NULL CHECK (share_attribute IN ('unconditional', 'conditional', 'not_shared')),
      level text,
      exception jsonb,
      status text NOT NULL DEFAULT 'in_review'
        CHECK (status IN ('in_review', 'evidence_requested', 'approved', 'granted', 'rejected', 'withdrawn')),
      decided_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (term_end >= term_start)
    );
    CREATE INDEX share_requests_applicant_idx ON share_requests (applicant_institution_id, created_at DESC);
    CREATE INDEX share_requests_provider_idx ON share_requests (provider_institution_id, created_at DESC);
    CREATE INDEX share_requests_resource_idx ON share_requests (resource_id);

    CREATE TABLE share_request_steps (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES share_requests(id),
      seq integer NOT NULL,
      kind text NOT NULL CHECK (kind IN ('provider', 'authority', 'authority_second', 'exception')),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      status text NOT NULL CHECK (status IN ('waiting', 'open', 'approved', 'rejected', 'cancelled')),
      opened_at timestamptz,
      due_date date,
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      reason text,
      UNIQUE (request_id, seq)
    );
    CREATE INDEX share_request_steps_open_idx ON share_request_steps (institution_id, due_date) WHERE status = 'open';

    CREATE TABLE share_request_evidence (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES share_requests(id),
      asked_by uuid NOT NULL REFERENCES users(id),
      asked_at timestamptz NOT NULL DEFAULT now(),
      question text NOT NULL,
      answered_by uuid REFERENCES users(id),
      answered_at timestamptz,
      answer text,
      file_name text,
      file bytea,
      file_sm3 text
    );
    CREATE INDEX share_request_evidence_request_idx ON share_request_evidence (request_id, asked_at);

    CREATE TABLE share_agreements (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      request_id uuid NOT NULL UNIQUE REFERENCES share_requests(id),
      text text NOT NULL,
      text_sm3 text NOT NULL CHECK (text_sm3 ~ '^[0-9a-f]{64}$'),
      status text NOT NULL DEFAULT 'awaiting_signatures' CHECK (status IN ('awaiting_signatures', 'signed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      signed_at timestamptz
    );

    CREATE TABLE agreement_signatures (
      id uuid PRIMARY KEY,
      agreement_id uuid NOT NULL REFERENCES share_agreements(id),
      party text NOT NULL CHECK (party IN ('applicant', 'provider')),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      user_id uuid NOT NULL REFERENCES users(id),
      signing_key_id uuid NOT NULL REFERENCES signing_keys(id),
      public_key text NOT NULL,
      signature text NOT NULL,
      text_sm3 text NOT NULL,
      signed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (agreement_id, party)
    );

    CREATE TABLE share_grants (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      request_id uuid NOT NULL UNIQUE REFERENCES share_requests(id),
      agreement_id uuid NOT NULL UNIQUE REFERENCES share_agreements(id),
      resource_id uuid NOT NULL REFERENCES data_resources(id),
      provider_institution_id uuid NOT NULL REFERENCES institutions(id),
      recipient_institution_id uuid NOT NULL REFERENCES institutions(id),
      fields jsonb NOT NULL,
      row_filter jsonb,
      purpose text NOT NULL,
      purpose_code text NOT NULL,
      scenario text NOT NULL,
      method text NOT NULL CHECK (method IN ('interface', 'file')),
      aggregate_only boolean NOT NULL DEFAULT false,
      min_group_size integer NOT NULL DEFAULT 10 CHECK (min_group_size >= 2),
      term_start date NOT NULL,
      term_end date NOT NULL,
      rate_per_minute integer NOT NULL,
      rows_per_day integer NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'expired')),
      status_changed_at timestamptz,
      status_changed_by uuid REFERENCES users(id),
      status_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    );
    CREATE INDEX share_grants_recipient_idx ON share_grants (recipient_institution_id, status);
    CREATE INDEX share_grants_provider_idx ON share_grants (provider_institution_id, status);
    CREATE INDEX share_grants_resource_idx ON share_grants (resource_id);

    CREATE FUNCTION sharing_evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER agreement_signatures_no_change BEFORE UPDATE OR DELETE ON agreement_signatures
      FOR EACH ROW EXECUTE FUNCTION sharing_evidence_append_only();
    CREATE TRIGGER agreement_signatures_no_truncate BEFORE TRUNCATE ON agreement_signatures
      FOR EACH STATEMENT EXECUTE FUNCTION sharing_evidence_append_only();

    -- The agreement text and its hash never change once written (only status and signed_at do).
    CREATE FUNCTION share_agreements_text_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR NEW.text IS DISTINCT FROM OLD.text OR NEW.text_sm3 IS DISTINCT FROM OLD.text_sm3
         OR NEW.request_id IS DISTINCT FROM OLD.request_id OR NEW.number IS DISTINCT FROM OLD.number THEN
        RAISE EXCEPTION 'share_agreements: the text of an agreement is fixed (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER share_agreements_fixed BEFORE UPDATE OR DELETE ON share_agreements
      FOR EACH ROW EXECUTE FUNCTION share_agreements_text_fixed();
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE share_grants, agreement_signatures, share_agreements, share_request_evidence, share_request_steps,
      share_requests, signing_keys;
    DROP FUNCTION sharing_evidence_append_only();
    DROP FUNCTION share_agreements_text_fixed();
  `.execute(db);
}
