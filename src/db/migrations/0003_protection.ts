// Protection (issue 5): data keys per resource wrapped by the key-encryption key, which never enters the
// database (PRT-5, FZ-12, FZ-19, LIF-11); the platform's own keys (its SM2 signing key); and the dataset
// store, where institutions aggregate a resource's data with graded fields sealed at rest (LIF-13).
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- One row per version of a resource's data key. Exactly one version is active (new writes); retired
    -- versions still decrypt what they wrote until re-encryption moves it; destroying a resource's keys
    -- drops the wrapped material (crypto-shredding, LIF-11) and keeps the row as the record of it.
    CREATE TABLE data_keys (
      id uuid PRIMARY KEY,
      resource_id uuid NOT NULL REFERENCES data_resources(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL CHECK (status IN ('active','retired','destroyed')),
      algorithm text NOT NULL,
      kek_id text,
      wrapped bytea,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz,
      destroyed_by uuid REFERENCES users(id),
      destroyed_at timestamptz,
      destroy_reason text,
      UNIQUE (resource_id, version),
      CHECK ((status = 'destroyed') = (wrapped IS NULL)),
      CHECK ((wrapped IS NULL) = (kek_id IS NULL))
    );
    CREATE UNIQUE INDEX data_keys_one_active ON data_keys (resource_id) WHERE status = 'active';
    CREATE INDEX data_keys_institution_idx ON data_keys (institution_id);

    -- The platform's own keys by purpose (e.g. 'audit.signing', an SM2 pair): the private part wrapped by
    -- the KEK, the public part in clear so anyone can verify what it signed.
    CREATE TABLE platform_keys (
      purpose text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL CHECK (status IN ('active','retired')),
      algorithm text NOT NULL,
      public_key text,
      kek_id text NOT NULL,
      wrapped bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz,
      PRIMARY KEY (purpose, version)
    );
    CREATE UNIQUE INDEX platform_keys_one_active ON platform_keys (purpose) WHERE status = 'active';

    -- LIF-13: one dataset per resource, its current state. hash_state continues the content hash
    -- incrementally (a multiset hash; see engines/datasets/content-hash.ts).
    CREATE TABLE datasets (
      resource_id uuid PRIMARY KEY REFERENCES data_resources(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      key_field text,
      version integer NOT NULL DEFAULT 0,
      row_count bigint NOT NULL DEFAULT 0,
      hash_state jsonb NOT NULL,
      content_hash text,
      layout jsonb NOT NULL DEFAULT '[]'::jsonb,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- Every load: what came in, what it did, the content hash after it.
    CREATE TABLE dataset_versions (
      id uuid PRIMARY KEY,
      resource_id uuid NOT NULL REFERENCES data_resources(id),
      institution_id uuid NOT NULL REFERENCES institutions(id),
      version integer NOT NULL CHECK (version >= 1),
      mode text NOT NULL CHECK (mode IN ('replace','append','upsert')),
      source_kind text NOT NULL,
      source_name text,
      rows_read integer NOT NULL,
      rows_added integer NOT NULL,
      rows_updated integer NOT NULL,
      rows_removed integer NOT NULL,
      row_count bigint NOT NULL,
      content_hash text NOT NULL,
      sealed_fields text[] NOT NULL,
      key_id uuid,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (resource_id, version)
    );

    -- The rows. Fields whose grade requires encryption at rest (CLS-5) are in "sealed" (an SM4 envelope
    -- naming its data key), never in "clear". row_key is a keyed hash of the key field's value (upserts find
    -- rows without storing the value); row_digest a keyed hash of the whole row, checked when it is read.
    CREATE TABLE dataset_rows (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      resource_id uuid NOT NULL REFERENCES data_resources(id),
      row_key bytea,
      row_digest bytea NOT NULL,
      clear jsonb NOT NULL,
      sealed bytea,
      key_id uuid,
      version integer NOT NULL
    );
    CREATE UNIQUE INDEX dataset_rows_key_uq ON dataset_rows (resource_id, row_key) WHERE row_key IS NOT NULL;
    CREATE INDEX dataset_rows_resource_idx ON dataset_rows (resource_id, id);
    CREATE INDEX dataset_rows_key_id_idx ON dataset_rows (resource_id, key_id);
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE dataset_rows; DROP TABLE dataset_versions; DROP TABLE datasets; DROP TABLE platform_keys; DROP TABLE data_keys;`.execute(db);
}
