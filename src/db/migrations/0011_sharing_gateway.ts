// The data-service gateway (issue 7, docs/sharing-contract.md "Grants and the gateway"): LIF-3, LIF-5, LIF-6,
// PRT-8, PRT-9.
//
// - grant_credentials: the recipient systems' client credentials for one grant. The token is
//   `sgw_<clientId>.<secret>`; only HMAC-SM3(secret) under a KEK-derived key is kept (a high-entropy secret
//   needs no slow hash), compared in constant time. last_used_at is touched at most once a minute.
// - grant_usage: per-grant counters shared by every server process: calls per clock minute (kind 'minute')
//   and calls and rows per Beijing day (kind 'day'); `reserved` is what the latest call took from the day's
//   rows (the gateway reserves a page before reading and gives back what it did not use).
// - grant_deliveries: the grant's delivery records (deliveries table, scenario 'sharing'): the masking and
//   watermark keys of the grant (wrapped by the KEK) and the rules its output was masked with, so a leaked
//   gateway output traces to the grant's recipient (POST /api/trace). One per masking-policy version: when
//   the provider changes the policy the grant gets a new delivery record (old outputs still trace).
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE grant_credentials (
      id uuid PRIMARY KEY,
      grant_id uuid NOT NULL REFERENCES share_grants(id),
      client_id text NOT NULL UNIQUE CHECK (client_id ~ '^[a-z0-9]{16,40}$'),
      name text NOT NULL,
      secret_mac bytea NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_by uuid REFERENCES users(id),
      revoked_at timestamptz
    );
    CREATE INDEX grant_credentials_grant_idx ON grant_credentials (grant_id, created_at);

    CREATE TABLE grant_usage (
      grant_id uuid NOT NULL REFERENCES share_grants(id),
      kind text NOT NULL CHECK (kind IN ('minute', 'day')),
      window_start timestamptz NOT NULL,
      calls integer NOT NULL DEFAULT 0,
      rows bigint NOT NULL DEFAULT 0,
      reserved bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (grant_id, kind, window_start)
    );

    CREATE TABLE grant_deliveries (
      grant_id uuid NOT NULL REFERENCES share_grants(id),
      policy_version integer NOT NULL,
      delivery_id uuid NOT NULL UNIQUE REFERENCES deliveries(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (grant_id, policy_version)
    );

    -- GET /api/share-grants/:id/calls reads the gateway's audit events of one grant.
    CREATE INDEX audit_events_grant_idx ON audit_events ((details->>'grantId'), seq DESC) WHERE details ? 'grantId';
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX audit_events_grant_idx;
    DROP TABLE grant_deliveries, grant_usage, grant_credentials;
  `.execute(db);
}
