// AUD-2: the sealer puts audit events on the SM3 hash chain, and the group-commit appender writes events
// that need no surrounding transaction. A pass chains the committed pending events (written inside services'
// transactions) and the appender's queued events, each write ONE statement on the head this process last
// saw (see pass()): any number of server processes on one database produce one chain without a lock. The
// advisory lock CHAIN_LOCK only keeps checkpoint() and archiving from interleaving with each other.
// Every caller waiting on a pass (a request that wrote events, an append) is answered only after the pass
// that started after its write has committed: acknowledged = durable and chained.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type Kysely, sql, type Transaction } from 'kysely';
import { type Db, poolOf } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import {
  type ChainEvent,
  type Checkpoint,
  chainMac,
  formatChainTime,
  GENESIS_HASH,
  linkHash,
  MAX_MAC_GAP,
  signCheckpoint,
} from '../../engines/audit-chain/index.ts';
import type { Kek } from '../protection/kek.ts';
import { type AuditContext, type AuditEventInput, auditRow, auditUnavailable, auditWrites } from './audit.recorder.ts';
import { AuditSigningKeys } from './audit.signing.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The advisory lock key of the chain (an arbitrary constant: 'SHUAN-AU' as bytes). */
export const CHAIN_LOCK = 0x5348_5541_4e2d_4155n;
export const MAC_LABEL = 'audit.chain-mac';

export interface AuditLogOptions {
  /** Sign a checkpoint when this many events were chained since the last one. */
  checkpointEvery?: number;
  /** …or when the head moved and this many seconds passed (checked by the timer of start()). */
  checkpointSeconds?: number;
  /** The witness file outside the database (null: none). */
  witnessPath?: string | null;
  /** Pending events chained per pass at most. */
  batch?: number;
}

export interface Witness {
  log: string; // hash at position 1 (or the archive anchor): which log this witness belongs to
  position: number;
  headHash: string;
  signedAt: string;
  keyVersion: number;
  signature: string;
}

interface Queued {
  row: ReturnType<typeof auditRow>;
  resolve: (position: number) => void;
  reject: (err: unknown) => void;
}

interface ChainRow {
  position: number;
  event_id: string;
  hash: Buffer;
  mac: Buffer | null;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Columns that make an audit_events row a ChainEvent (occurred_at with its microseconds, in UTC). */
export const CHAIN_EVENT_COLUMNS = sql`e.seq, e.id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred,
  e.actor_user_id, e.actor_username, e.acting_institution_id, e.action, e.target_type, e.target_id,
  e.target_institution_id, e.outcome, e.ip, e.request_id, e.details`;

export interface ChainEventRow {
  seq: number;
  id: string;
  occurred: string;
  actor_user_id: string | null;
  actor_username: string | null;
  acting_institution_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_institution_id: string | null;
  outcome: string;
  ip: string | null;
  request_id: string | null;
  details: unknown;
}

/** The columns of a row that carry over to its ChainEvent as they are (an audit_events row or the appender's). */
type ChainEventFields = Omit<ChainEventRow, 'seq' | 'occurred' | 'details'> & { seq?: number };

/** The chain's view of an audit_events row read with CHAIN_EVENT_COLUMNS. */
export function chainEventOf(r: ChainEventRow): ChainEvent {
  return chainEventFrom(r, r.occurred, r.details);
}

/** The one row → ChainEvent mapping; `occurredAt` and `details` come as the database gives them back. */
function chainEventFrom(r: ChainEventFields, occurredAt: string, details: unknown): ChainEvent {
  return {
    seq: Number(r.seq ?? 0),
    id: r.id,
    occurredAt,
    actorUserId: r.actor_user_id,
    actorUsername: r.actor_username,
    actingInstitutionId: r.acting_institution_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    targetInstitutionId: r.target_institution_id,
    outcome: r.outcome,
    ip: r.ip,
    requestId: r.request_id,
    details: details ?? {},
  };
}

/** A chain write (AuditLog.write): events ($1–$13, column arrays), pending rows chained ($14), chain rows ($15–$18). */
const WRITE_SQL = `WITH e AS (
    INSERT INTO audit_events (id, occurred_at, actor_user_id, actor_username, acting_institution_id, action, target_type,
      target_id, target_institution_id, outcome, ip, request_id, details)
    SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[],
      $9::uuid[], $10::text[], $11::text[], $12::text[], $13::jsonb[])),
  p AS (DELETE FROM audit_pending WHERE seq = ANY($14::bigint[])),
  c AS (INSERT INTO audit_chain (position, event_id, hash, mac) SELECT * FROM unnest($15::bigint[], $16::uuid[], $17::bytea[], $18::bytea[]))
SELECT 1`;

export class AuditLog {
  readonly signing: AuditSigningKeys;
  private readonly checkpointEvery: number;
  private readonly checkpointSeconds: number;
  private readonly batch: number;
  private queue: Queued[] = [];
  private waiters: Waiter[] = [];
  private loop: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastCheckpointAt = Date.now();
  private macKeyCache: Buffer | null = null;
  /** The head this process last wrote or read (null: read it again). */
  private head: { position: number; hash: Buffer } | null = null;
  private lastCheckpoint: number | null = null;
  /** auditWrites.count when pending events were last looked for. */
  private pendingSeen = -1;

  constructor(
    private readonly db: Db,
    private readonly kek: () => Kek,
    private readonly opts: AuditLogOptions = {},
  ) {
    this.signing = new AuditSigningKeys(db, kek);
    this.checkpointEvery = opts.checkpointEvery ?? 1000;
    this.checkpointSeconds = opts.checkpointSeconds ?? 60;
    // Pending batch + queued batch per write stays within the verifier's MAC spacing.
    this.batch = Math.min(opts.batch ?? 2000, MAX_MAC_GAP / 2);
  }

  get witnessPath(): string | null {
    return this.opts.witnessPath ?? null;
  }

  macKey(): Buffer {
    this.macKeyCache ??= this.kek().derive(MAC_LABEL).secret;
    return this.macKeyCache;
  }

  /**
   * Writes one event outside any transaction (gateway calls, failed logins): resolves with its chain
   * position once it is committed and chained; rejects with 503 AUDIT_UNAVAILABLE otherwise.
   */
  append(who: AuditContext, event: AuditEventInput): Promise<number> {
    const row = auditRow(who, event, new Date());
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once every event committed before this call is chained. */
  flush(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.kick();
    });
  }

  /** Signs a checkpoint at the current head unless one is there already; null on an empty log. */
  async checkpoint(): Promise<Checkpoint | null> {
    await this.flush();
    const made = await this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
      const head = await this.readHead(trx);
      if (head.position === 0) return null;
      const last = await trx.selectFrom('audit_checkpoints').select(['position']).orderBy('position', 'desc').limit(1).executeTakeFirst();
      if (last && Number(last.position) >= head.position) return null;
      return this.signAt(trx, head.position, head.hash);
    });
    if (made) await this.writeWitness(made);
    return made;
  }

  /** Periodic work of a server process: chain what other processes and CLI commands left, time checkpoints. */
  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.tick().catch(() => {});
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.loop?.catch(() => {});
  }

  private async tick(): Promise<void> {
    await this.flush();
    if (Date.now() - this.lastCheckpointAt >= this.checkpointSeconds * 1000) {
      this.lastCheckpointAt = Date.now();
      await this.checkpoint();
    }
  }

  private kick(): void {
    this.loop ??= this.run().finally(() => {
      this.loop = null;
      if (this.queue.length || this.waiters.length) this.kick();
    });
  }

  private async run(): Promise<void> {
    while (this.queue.length || this.waiters.length) {
      const waiters = this.waiters;
      const queued = this.queue.splice(0, this.batch);
      this.waiters = [];
      // Pending events (written inside services' transactions) are looked for when someone waits for them,
      // or when this process wrote some since the last look; a pass of appends alone skips that query.
      const readPending = waiters.length > 0 || auditWrites.count !== this.pendingSeen;
      try {
        const { positions, checkpoint } = await this.pass(queued, readPending);
        for (const [i, q] of queued.entries()) q.resolve(positions[i] as number);
        for (const w of waiters) w.resolve();
        if (checkpoint) await this.writeWitness(checkpoint).catch(() => {});
      } catch (err) {
        const failure = auditUnavailable(err);
        for (const q of queued) q.reject(failure);
        for (const w of waiters) w.reject(failure);
      }
    }
  }

  /**
   * One pass. Each write is ONE statement (events, their chain rows and the pending rows they leave, in one
   * implicit transaction: one round trip, one commit) built on the head this process last saw. Positions
   * and event ids are unique, so when another process chained first the statement fails as a whole and the
   * pass starts again from the new head: processes never fork the chain and never need a lock.
   */
  private async pass(queued: Queued[], readPending: boolean): Promise<{ positions: number[]; checkpoint: Checkpoint | null }> {
    const macKey = this.macKey();
    let positions: number[] = [];
    let more = readPending;
    let toInsert = queued;
    for (let attempt = 0; ; ) {
      try {
        this.head ??= await this.readHead(this.db);
        const head = this.head;
        this.lastCheckpoint ??= await this.readLastCheckpoint();
        const seenWrites = auditWrites.count;
        const pending = more
          ? (
              await sql<ChainEventRow>`
                SELECT ${CHAIN_EVENT_COLUMNS} FROM audit_pending p JOIN audit_events e ON e.id = p.event_id
                ORDER BY p.seq LIMIT ${this.batch}`.execute(this.db)
            ).rows
          : [];
        let { position, hash } = head;
        const chain: ChainRow[] = [];
        const link = (e: ChainEvent) => {
          position += 1;
          hash = linkHash(hash, position, e);
          chain.push({ position, event_id: e.id, hash, mac: null });
          return position;
        };
        for (const r of pending) link(chainEventOf(r));
        const mine = toInsert.map((q) => link(chainEventOfRow(q.row)));
        // One MAC per write, on its last row: the head of every committed write is authenticated, and a
        // recomputed stretch fails at the MAC that ends it (per-row MACs would cost a keyed hash per event).
        const last = chain.at(-1);
        if (last) last.mac = chainMac(macKey, last.position, last.hash);
        if (chain.length)
          await this.write(
            toInsert,
            chain,
            pending.map((r) => Number(r.seq)),
          );
        this.head = { position, hash };
        if (more) this.pendingSeen = seenWrites;
        positions = positions.length ? positions : mine;
        toInsert = [];
        attempt = 0;
        // A long backlog of pending events is chained batch by batch.
        more = more && pending.length === this.batch;
        if (!more) break;
      } catch (err) {
        this.head = null;
        this.lastCheckpoint = null;
        if ((err as { code?: string }).code === '23505' && ++attempt < 100) continue;
        throw err;
      }
    }
    let checkpoint: Checkpoint | null = null;
    const head = this.head as { position: number; hash: Buffer };
    if (head.position - (this.lastCheckpoint ?? 0) >= this.checkpointEvery) {
      checkpoint = await this.signAt(this.db, head.position, head.hash);
      this.lastCheckpoint = head.position;
    }
    return { positions, checkpoint };
  }

  /**
   * One statement: the appended events, the removal of the pending rows this write chains, the chain rows.
   * Columns go as arrays through unnest(): one statement text whatever the batch (PostgreSQL parses 18
   * parameters, not 17 per event, and plans a short statement), built without a query builder: this runs per
   * event, on a core PostgreSQL also needs.
   */
  private async write(queued: Queued[], chain: ChainRow[], pendingSeqs: number[]): Promise<void> {
    const n = queued.length;
    const cols: unknown[][] = Array.from({ length: 13 }, () => new Array(n));
    for (let i = 0; i < n; i++) {
      const r = (queued[i] as Queued).row;
      const v = [
        r.id,
        r.occurred_at,
        r.actor_user_id,
        r.actor_username,
        r.acting_institution_id,
        r.action,
        r.target_type,
        r.target_id,
        r.target_institution_id,
        r.outcome,
        r.ip,
        r.request_id,
        r.details,
      ];
      for (let k = 0; k < 13; k++) (cols[k] as unknown[])[i] = v[k];
    }
    const positions = new Array<number>(chain.length);
    const ids = new Array<string>(chain.length);
    const hashes = new Array<Buffer>(chain.length);
    const macs = new Array<Buffer | null>(chain.length);
    for (const [i, c] of chain.entries()) {
      positions[i] = c.position;
      ids[i] = c.event_id;
      hashes[i] = c.hash;
      macs[i] = c.mac;
    }
    // A named statement: PostgreSQL parses and plans it once per connection (≈ 15 % of a write's time with
    // 50 events when it was parsed at every execution).
    await poolOf(this.db).query({ name: 'shuan-audit-chain-write', text: WRITE_SQL, values: [...cols, pendingSeqs, positions, ids, hashes, macs] });
  }

  private async readLastCheckpoint(): Promise<number> {
    const last = await this.db.selectFrom('audit_checkpoints').select('position').orderBy('position', 'desc').limit(1).executeTakeFirst();
    return Number(last?.position ?? 0);
  }

  /** The chain head: the last chained position, or the end of the archived range, or the genesis. */
  async readHead(db: Executor): Promise<{ position: number; hash: Buffer }> {
    const last = await db.selectFrom('audit_chain').select(['position', 'hash']).orderBy('position', 'desc').limit(1).executeTakeFirst();
    if (last) return { position: Number(last.position), hash: last.hash };
    const archived = await db.selectFrom('audit_archives').select(['last_position', 'last_hash']).orderBy('last_position', 'desc').limit(1).executeTakeFirst();
    if (archived) return { position: Number(archived.last_position), hash: archived.last_hash };
    return { position: 0, hash: GENESIS_HASH };
  }

  /** Signs the chain hash at `position` and stores the checkpoint (kept if one is there already). */
  async signCheckpointAt(db: Executor, position: number, headHash: Buffer): Promise<Checkpoint> {
    const signer = await this.signing.signingKey();
    const cp = signCheckpoint(signer.key, signer.version, { position, headHash, signedAt: new Date().toISOString() });
    await db
      .insertInto('audit_checkpoints')
      .values({ position, head_hash: cp.headHash, signed_at: new Date(cp.signedAt), key_version: cp.keyVersion, signature: cp.signature })
      .onConflict((oc) => oc.column('position').doNothing())
      .execute();
    return cp;
  }

  /** A checkpoint of this process's own policy (count or time): also resets its clocks. */
  private async signAt(db: Executor, position: number, headHash: Buffer): Promise<Checkpoint> {
    const cp = await this.signCheckpointAt(db, position, headHash);
    this.lastCheckpointAt = Date.now();
    this.lastCheckpoint = Math.max(this.lastCheckpoint ?? 0, position);
    return cp;
  }

  /** Keeps the newest checkpoint outside the database (atomic replace); older ones never overwrite newer. */
  private async writeWitness(cp: Checkpoint): Promise<void> {
    const path = this.opts.witnessPath;
    if (!path) return;
    const current = readWitness(path);
    if (current && current.position >= cp.position) return;
    const first = await this.db.selectFrom('audit_chain').select('hash').orderBy('position').limit(1).executeTakeFirst();
    const w: Witness = {
      log: first?.hash.toString('hex') ?? '',
      position: cp.position,
      headHash: cp.headHash.toString('hex'),
      signedAt: cp.signedAt,
      keyVersion: cp.keyVersion,
      signature: cp.signature.toString('hex'),
    };
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(w, null, 2)}\n`, { mode: 0o644 });
    renameSync(tmp, path);
  }
}

export function readWitness(path: string): Witness | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Witness;
  } catch {
    return null;
  }
}

/**
 * The chain's view of a row the appender is about to insert: the row as the database will return it (the
 * time at microsecond precision, the details as jsonb gives them back: parsed from the JSON inserted). No
 * spread into a ChainEventRow first: this runs per event between two commits (the copy cost ≈ 4 µs).
 */
function chainEventOfRow(r: ReturnType<typeof auditRow>): ChainEvent {
  return chainEventFrom(r, formatChainTime(r.occurred_at), JSON.parse(r.details));
}
