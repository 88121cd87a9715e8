// Foundation schema: institutions (ORG-*), people and roles (PRT-1..3), sessions and tokens,
// the append-only audit recorder (AUD-1), settings, and loaded working-day schedules.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE institutions (
      id uuid PRIMARY KEY,
      parent_id uuid REFERENCES institutions(id),
      kind text NOT NULL CHECK (kind IN ('authority','regulator','institution','vendor','external_user')),
      name text NOT NULL,
      short_name text,
      code text,
      admin_level text CHECK (admin_level IN ('city','district','town')),
      sector text NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','closed')),
      profile jsonb NOT NULL DEFAULT '{}'::jsonb,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX institutions_code_uq ON institutions (code) WHERE code IS NOT NULL;
    CREATE UNIQUE INDEX institutions_name_parent_uq ON institutions (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name);
    CREATE INDEX institutions_parent_idx ON institutions (parent_id);

    CREATE TABLE users (
      id uuid PRIMARY KEY,
      username text NOT NULL,
      display_name text NOT NULL,
      institution_id uuid NOT NULL REFERENCES institutions(id),
      email text,
      phone text,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
      password_hash text NOT NULL,
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      must_change_password boolean NOT NULL DEFAULT false,
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      totp_secret text,
      totp_enabled_at timestamptz,
      totp_last_step bigint,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_username_uq ON users (lower(username));
    CREATE INDEX users_institution_idx ON users (institution_id);

    CREATE TABLE password_history (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX password_history_user_idx ON password_history (user_id, created_at DESC);

    CREATE TABLE role_assignments (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      role text NOT NULL,
      institution_id uuid NOT NULL REFERENCES institutions(id),
      granted_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (user_id, role, institution_id)
    );
    CREATE INDEX role_assignments_institution_idx ON role_assignments (institution_id);

    CREATE TABLE regulator_read_grants (
      id uuid PRIMARY KEY,
      regulator_id uuid NOT NULL REFERENCES institutions(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      note text,
      granted_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (regulator_id, institution_id)
    );

    CREATE TABLE sessions (
      id text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      csrf_token text NOT NULL,
      ip text,
      user_agent text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      ended_at timestamptz,
      end_reason text
    );
    CREATE INDEX sessions_user_idx ON sessions (user_id);

    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      prefix text NOT NULL,
      scopes text[] NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

    CREATE TABLE audit_events (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id uuid NOT NULL UNIQUE,
      occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor_user_id uuid,
      actor_username text,
      acting_institution_id uuid,
      action text NOT NULL,
      target_type text,
      target_id text,
      target_institution_id uuid,
      outcome text NOT NULL CHECK (outcome IN ('success','failure','denied')),
      ip text,
      request_id text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb
    );
    CREATE INDEX audit_events_time_idx ON audit_events (occurred_at);
    CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at);
    CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, occurred_at);
    CREATE INDEX audit_events_target_inst_idx ON audit_events (target_institution_id, occurred_at);

    -- AUD-1: the audit log is append-only. Ordinary sessions cannot change or remove a row; the
    -- tamper-evident chain (AUD-2) comes on top of this in its own migration.
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

    CREATE TABLE settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE workday_schedules (
      year integer PRIMARY KEY,
      holidays date[] NOT NULL,
      makeup_workdays date[] NOT NULL,
      loaded_by uuid REFERENCES users(id),
      loaded_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE workday_schedules, settings, audit_events, api_tokens, sessions, regulator_read_grants,
      role_assignments, password_history, users, institutions;
    DROP FUNCTION audit_events_append_only();
  `.execute(db);
}
