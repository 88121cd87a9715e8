// AUD-2 (FZ-17), AUD-4 (DG-28): the tamper-evident audit log on top of the append-only audit_events.
//
// - audit_pending: events written inside a service's transaction wait here (same transaction) until the
//   sealer chains them; a work queue, not part of the log.
// - audit_chain: one row per event in chain order. hash = SM3(previous hash ‖ canonical event); the last row
//   each write adds carries mac = HMAC-SM3(position ‖ hash) under a key derived from the KEK (a chain
//   re-computed by someone without the KEK fails at the next MAC).
// - audit_checkpoints: the chain head at a position, signed with the platform's SM2 key ('audit.signing').
// - audit_archives: signed records of ranges exported as bundles and then removed under the retention rule.
// All of them refuse UPDATE and TRUNCATE; DELETE only of archived rows older than the legal minimum.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_pending (
      seq bigint PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE
    );
    -- Events already in the log before the chain existed are chained first, in their order.
    INSERT INTO audit_pending (seq, event_id) SELECT seq, id FROM audit_events;

    CREATE TABLE audit_chain (
      position bigint PRIMARY KEY CHECK (position >= 1),
      event_id uuid NOT NULL UNIQUE,
      hash bytea NOT NULL,
      mac bytea,
      sealed_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE audit_checkpoints (
      position bigint PRIMARY KEY CHECK (position >= 1),
      head_hash bytea NOT NULL,
      signed_at timestamptz NOT NULL,
      key_version integer NOT NULL,
      signature bytea NOT NULL
    );

    CREATE TABLE audit_archives (
      id uuid PRIMARY KEY,
      first_position bigint NOT NULL,
      last_position bigint NOT NULL CHECK (last_position >= first_position),
      last_hash bytea NOT NULL,
      before timestamptz NOT NULL,
      events bigint NOT NULL,
      bundle_sm3 bytea NOT NULL,
      file_name text NOT NULL,
      key_version integer NOT NULL,
      signature bytea NOT NULL,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- AUD-4: the legal minimum retention in months (six, configurable upwards through settings key
    -- 'audit.retention' = {"months": N}); the triggers below read it, so the rule holds for every client.
    CREATE FUNCTION audit_retention_cutoff() RETURNS timestamptz LANGUAGE sql STABLE AS $$
      SELECT now() - make_interval(months => GREATEST(6, COALESCE(
        (SELECT (value->>'months')::int FROM settings WHERE key = 'audit.retention'), 6)))
    $$;

    CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND OLD.occurred_at < audit_retention_cutoff() AND EXISTS (
        SELECT 1 FROM audit_chain c JOIN audit_archives a ON c.position BETWEEN a.first_position AND a.last_position
        WHERE c.event_id = OLD.id) THEN
        RETURN OLD;
      END IF;
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_events: only archived events older than the retention minimum may be removed'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;

    CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;

    CREATE FUNCTION audit_chain_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- A chain row goes only after its event went (archive removal), and only inside an archived range.
      IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.id = OLD.event_id)
         AND EXISTS (SELECT 1 FROM audit_archives a WHERE OLD.position BETWEEN a.first_position AND a.last_position) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_chain_no_update BEFORE UPDATE OR DELETE ON audit_chain
      FOR EACH ROW EXECUTE FUNCTION audit_chain_append_only();
    CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
      FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

    CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
    CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
    CREATE TRIGGER audit_archives_no_update BEFORE UPDATE OR DELETE ON audit_archives
      FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
    CREATE TRIGGER audit_archives_no_truncate BEFORE TRUNCATE ON audit_archives
      FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE audit_archives, audit_checkpoints, audit_chain, audit_pending;
    CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    DROP FUNCTION audit_retention_cutoff();
    DROP FUNCTION audit_chain_append_only();
    DROP FUNCTION audit_refuse_change();
  `.execute(db);
}
