// Systems registry (AST-1..3, AST-5..10), data resource catalog (AST-4, AST-11, LIF-1), the authority's
// grading scheme and the grading of resources and fields (CLS-1..5).
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Trusted extension (PG ≥ 13): a database owner may create it. Trigram indexes serve substring search
    -- over Chinese text, which PostgreSQL's word-based full-text parsers do not split.
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    -- CLS-1: the authority's published, versioned scheme. Each version is an immutable snapshot once
    -- published; editing means a new draft version.
    CREATE TABLE grading_schemes (
      id uuid PRIMARY KEY,
      version integer NOT NULL UNIQUE,
      status text NOT NULL CHECK (status IN ('draft','published','superseded')),
      name text NOT NULL,
      categories jsonb NOT NULL,
      levels jsonb NOT NULL,
      matrix jsonb NOT NULL,
      controls jsonb NOT NULL,
      notes text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      published_by uuid REFERENCES users(id),
      published_at timestamptz
    );
    CREATE UNIQUE INDEX grading_schemes_one_published ON grading_schemes ((status)) WHERE status = 'published';
    CREATE UNIQUE INDEX grading_schemes_one_draft ON grading_schemes ((status)) WHERE status = 'draft';

    -- AST-1: processing systems with the DG-8 fields. The row is the current state; every filing keeps
    -- a full snapshot in system_filings (the registration's history).
    CREATE TABLE systems (
      id uuid PRIMARY KEY,
      institution_id uuid NOT NULL REFERENCES institutions(id),
      name text NOT NULL,
      description text,
      status text NOT NULL CHECK (status IN ('draft','submitted','accepted','returned','closed')),
      security_lead jsonb,
      security_measures text,
      assessment_result text,
      assessment_on date,
      audit_conclusion text,
      mlps_level integer CHECK (mlps_level BETWEEN 1 AND 5),
      mlps_filing_no text,
      mlps_evaluated_on date,
      crypto_status text NOT NULL DEFAULT 'not_applied',
      crypto_assessed_on date,
      cii boolean NOT NULL DEFAULT false,
      hosting text,
      trusted_terminals jsonb NOT NULL DEFAULT '[]'::jsonb,
      storage_carriers jsonb NOT NULL DEFAULT '[]'::jsonb,
      last_vuln_scan_on date,
      closed_on date,
      version integer NOT NULL DEFAULT 1,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX systems_institution_name_uq ON systems (institution_id, name);
    CREATE INDEX systems_status_idx ON systems (status);

    -- AST-1/AST-2: each registration, change or closure filing, with the date the change happened and
    -- the DG-8 deadline (15 working days) computed at filing time.
    CREATE TABLE system_filings (
      id uuid PRIMARY KEY,
      system_id uuid NOT NULL REFERENCES systems(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      version integer NOT NULL,
      kind text NOT NULL CHECK (kind IN ('registration','change','closure')),
      event_date date NOT NULL,
      deadline date NOT NULL,
      late boolean NOT NULL,
      summary text,
      snapshot jsonb NOT NULL,
      filed_by uuid REFERENCES users(id),
      filed_at timestamptz NOT NULL DEFAULT now(),
      review_status text NOT NULL DEFAULT 'pending' CHECK (review_status IN ('pending','accepted','returned')),
      reviewed_by uuid REFERENCES users(id),
      reviewed_at timestamptz,
      review_reason text,
      UNIQUE (system_id, version)
    );
    CREATE INDEX system_filings_review_idx ON system_filings (review_status, filed_at);

    -- AST-3: asset consistency checks and the differences each found.
    CREATE TABLE asset_checks (
      id uuid PRIMARY KEY,
      institution_id uuid NOT NULL REFERENCES institutions(id),
      checked_by uuid REFERENCES users(id),
      checked_on date NOT NULL,
      scope text,
      notes text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE asset_check_findings (
      id uuid PRIMARY KEY,
      check_id uuid NOT NULL REFERENCES asset_checks(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      system_id uuid REFERENCES systems(id),
      description text NOT NULL,
      resolved_at timestamptz,
      resolved_by uuid REFERENCES users(id),
      resolution text
    );

    -- AST-4, AST-11, LIF-1: data resources of a system.
    CREATE TABLE data_resources (
      id uuid PRIMARY KEY,
      institution_id uuid NOT NULL REFERENCES institutions(id),
      system_id uuid NOT NULL REFERENCES systems(id),
      name text NOT NULL,
      description text,
      update_frequency text,
      record_count bigint CHECK (record_count >= 0),
      share_attribute text NOT NULL CHECK (share_attribute IN ('unconditional','conditional','not_shared')),
      share_basis text,
      open_attribute text NOT NULL CHECK (open_attribute IN ('open','conditional','not_open')),
      open_basis text,
      retention_months integer CHECK (retention_months > 0),
      collection jsonb NOT NULL DEFAULT '{}'::jsonb,
      pi_records bigint CHECK (pi_records >= 0),
      pi_people bigint CHECK (pi_people >= 0),
      pi_sensitive boolean NOT NULL DEFAULT false,
      pi_source text CHECK (pi_source IN ('declared','discovery')),
      published boolean NOT NULL DEFAULT false,
      categories text[] NOT NULL DEFAULT '{}',
      level text,
      grading_status text NOT NULL DEFAULT 'ungraded' CHECK (grading_status IN ('ungraded','pending','approved','rejected')),
      version integer NOT NULL DEFAULT 1,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- Share attributes other than unconditional need their legal basis (AST-4).
      CHECK (share_attribute = 'unconditional' OR coalesce(btrim(share_basis), '') <> '')
    );
    CREATE UNIQUE INDEX data_resources_system_name_uq ON data_resources (system_id, name);
    CREATE INDEX data_resources_institution_idx ON data_resources (institution_id);
    CREATE INDEX data_resources_search_idx ON data_resources USING gin ((name || ' ' || coalesce(description, '')) gin_trgm_ops);

    CREATE TABLE data_fields (
      id uuid PRIMARY KEY,
      resource_id uuid NOT NULL REFERENCES data_resources(id) ON DELETE CASCADE,
      institution_id uuid NOT NULL REFERENCES institutions(id),
      position integer NOT NULL,
      name text NOT NULL,
      data_type text NOT NULL,
      description text,
      category text,
      level text,
      pi_type text,
      pi_sensitive boolean NOT NULL DEFAULT false,
      UNIQUE (resource_id, name)
    );
    CREATE INDEX data_fields_search_idx ON data_fields USING gin ((name || ' ' || coalesce(description, '')) gin_trgm_ops);

    -- CLS-2: grading history. A steward proposes (categories, harm assessment, proposed and chosen level,
    -- field labels); a security officer approves or rejects. Rows are never changed after a decision.
    CREATE TABLE resource_gradings (
      id uuid PRIMARY KEY,
      resource_id uuid NOT NULL REFERENCES data_resources(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      scheme_version integer NOT NULL,
      categories text[] NOT NULL,
      harms jsonb NOT NULL,
      proposed_level text NOT NULL,
      chosen_level text NOT NULL,
      override_reason text,
      field_labels jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('pending','approved','rejected','withdrawn')),
      graded_by uuid REFERENCES users(id),
      graded_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      decision_reason text,
      CHECK (chosen_level = proposed_level OR coalesce(btrim(override_reason), '') <> '')
    );
    CREATE INDEX resource_gradings_resource_idx ON resource_gradings (resource_id, graded_at);
    CREATE UNIQUE INDEX resource_gradings_one_pending ON resource_gradings (resource_id) WHERE status = 'pending';
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE resource_gradings, data_fields, data_resources, asset_check_findings, asset_checks,
      system_filings, systems, grading_schemes;
  `.execute(db);
}
