// The audit chain (issue 6, AUD-2): appending events (acknowledged only once durable and chained) with 1 and
// 50 concurrent writers, against plain batched inserts of the same rows into the same database in the same
// run; and verification throughput against `openssl dgst -sm3` over the same canonical bytes.
// Database: BENCH_DATABASE_URL, else the machine's PostgreSQL (postgres://postgres@127.0.0.1:5432/postgres);
// a scratch database is created and dropped.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { createDb, type Db, withDatabase } from '../src/db/database.ts';
import { uuidv7 } from '../src/db/ids.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { canonicalEvent, verifyBundleStream } from '../src/engines/audit-chain/index.ts';
import { auditRow } from '../src/modules/audit/audit.recorder.ts';
import { AuditLog, CHAIN_EVENT_COLUMNS, type ChainEventRow, chainEventOf } from '../src/modules/audit/audit.sealer.ts';
import { AuditService } from '../src/modules/audit/audit.service.ts';
import { AuditIntegrityService } from '../src/modules/audit/audit-integrity.service.ts';
import { Kek } from '../src/modules/protection/kek.ts';
import type { BenchResult } from './run.ts';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Five interleaved rounds of each (anchor, then ours), medians reported: PostgreSQL's own background work
// (checkpoints, autovacuum) lands on whichever runs at that moment, so one run each would be luck. Both
// sides get one untimed warm-up first (the JIT, each pooled connection's first statements): a server
// appends for hours, and the first cold round was 20–40 % slower than the rest.
const ROUNDS = 5;
const WARM_UP = 2_000;
const EVENTS_50 = 20_000;
const EVENTS_1 = 1_000;
const PLAIN_ROWS = 20_000;
/** Interleaved rounds of bundle verification and openssl (each a few hundred ms). */
const VERIFY_ROUNDS = 7;

const who = (i: number) => ({ userId: null, username: `user${i % 300}`, institutionId: null, ip: `10.0.${i % 200}.${i % 250}`, requestId: uuidv7() });
const event = (i: number) => ({
  action: i % 3 ? 'sharing.gateway.read' : 'auth.login',
  outcome: (i % 7 ? 'success' : 'failure') as 'success' | 'failure',
  target: { type: 'data_resource', id: `res-${i % 1000}` },
  details: { rows: i % 500, grantId: `g-${i % 40}`, purpose: '业务协同', fields: ['xm', 'sfzh'] },
});

async function withScratchDb<T>(fn: (db: Db, url: string) => Promise<T>): Promise<T> {
  const name = `shuan_bench_audit_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = withDatabase(ADMIN_URL, name);
  const db = createDb(url, { max: 20 });
  try {
    await migrateToLatest(db);
    return await fn(db, url);
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** The anchor: the same rows, batched 1,000 per INSERT, into a plain copy of the table (no chain, no triggers, no acknowledgement). */
async function plainInserts(db: Db, rows = PLAIN_ROWS): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < rows; i += 1000) {
    const rows = Array.from({ length: 1000 }, (_, k) => {
      const { ...r } = auditRow(who(i + k), event(i + k), new Date());
      return r;
    });
    await db
      .insertInto('bench_plain' as never)
      .values(rows as never)
      .execute();
  }
  return rows / ((performance.now() - start) / 1000);
}

async function appends(log: AuditLog, total: number, writers: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        await log.append(who(i), event(i));
      }
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

export async function auditBench(): Promise<BenchResult[]> {
  const at = new Date().toISOString();
  return withScratchDb(async (db) => {
    const kek = Kek.generate();
    const log = new AuditLog(db, () => kek, { checkpointEvery: 1000 });
    const plains: number[] = [];
    const ones: number[] = [];
    const fifties: number[] = [];
    // The same columns, identity, defaults and indexes as audit_events: what chaining adds is what is measured.
    await sql`CREATE TABLE bench_plain (LIKE audit_events INCLUDING ALL)`.execute(db);
    await plainInserts(db, WARM_UP);
    await appends(log, WARM_UP, 50);
    for (let round = 0; round < ROUNDS; round++) {
      plains.push(await plainInserts(db));
      fifties.push(await appends(log, EVENTS_50, 50));
      ones.push(await appends(log, EVENTS_1, 1));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const plain = median(plains);
    const one = median(ones);
    const fifty = median(fifties);
    const total = WARM_UP + ROUNDS * (EVENTS_1 + EVENTS_50);
    const integrity = new AuditIntegrityService(db, log, new AuditService(db));
    const t0 = performance.now();
    const report = await integrity.verifyLog();
    const verifySeconds = (performance.now() - t0) / 1000;
    if (!report.ok || report.checkedEvents !== total) throw new Error(`verification failed: ${JSON.stringify(report.problem)}`);
    // The same bytes for OpenSSL: previous hash ‖ canonical encoding of every event, as the verifier hashes them.
    const rows = await sql<ChainEventRow & { position: number; hash: Buffer }>`
      SELECT c.position, c.hash, ${CHAIN_EVENT_COLUMNS} FROM audit_chain c JOIN audit_events e ON e.id = c.event_id ORDER BY c.position`.execute(db);
    const parts: Buffer[] = [];
    let prev: Buffer = Buffer.alloc(32);
    for (const r of rows.rows) {
      parts.push(prev, canonicalEvent(Number(r.position), chainEventOf(r)));
      prev = r.hash;
    }
    const bytes = Buffer.concat(parts);
    const dir = mkdtempSync(join(tmpdir(), 'shuan-bench-audit-'));
    const bundleRounds: number[] = [];
    const opensslRounds: number[] = [];
    try {
      // The offline verifier a regulator runs: the exported bundle file, read as bytes. Rounds interleaved
      // with openssl over the same canonical bytes, medians reported (the machine is shared: one run each
      // would be luck, see ROUNDS).
      const bundleFile = join(dir, 'bundle.jsonl');
      const exp = await integrity.exportBundle({});
      await pipeline(Readable.from(exp.lines), createWriteStream(bundleFile));
      const file = join(dir, 'chain.bin');
      writeFileSync(file, bytes);
      for (let round = 0; round < VERIFY_ROUNDS; round++) {
        const b0 = performance.now();
        const outcome = await verifyBundleStream(createReadStream(bundleFile, { highWaterMark: 1024 * 1024 }));
        bundleRounds.push((performance.now() - b0) / 1000);
        if (!outcome.ok || outcome.checkedEvents !== total) throw new Error(`bundle verification failed: ${JSON.stringify(outcome.problem)}`);
        const s = performance.now();
        execFileSync('openssl', ['dgst', '-sm3', file]);
        opensslRounds.push((performance.now() - s) / 1000);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const bundleSeconds = median(bundleRounds);
    const opensslSeconds = median(opensslRounds);
    const mb = bytes.length / 1024 / 1024;
    const node = process.version;
    const checked = `${total} events chained, verified ok with ${report.checkpointsVerified} checkpoints; rounds (events/s) plain ${plains.map((x) => x.toFixed(0)).join('/')}, ×50 ${fifties.map((x) => x.toFixed(0)).join('/')}`;
    const rate = (xs: number[]) => xs.map((x) => (mb / x).toFixed(0)).join('/');
    const verifyChecked = `${checked}; verify-bundle rounds (MB/s) ${rate(bundleRounds)}, openssl ${rate(opensslRounds)} (medians compared)`;
    return [
      {
        name: 'audit-append-50',
        description:
          '50 concurrent writers, each event acknowledged once committed and chained (group commit) vs plain batched INSERTs of the same rows (1,000 per statement)',
        ours: { label: 'AuditLog.append ×50 writers (events/s)', opsPerSecond: fifty },
        anchor: { label: 'plain batched INSERT (rows/s)', opsPerSecond: plain },
        ratio: fifty / plain,
        checked,
        node,
        at,
      },
      {
        name: 'audit-append-1',
        description: 'one writer appending and waiting for each event (a commit per event) vs plain batched INSERTs',
        ours: { label: 'AuditLog.append ×1 writer (events/s)', opsPerSecond: one },
        anchor: { label: 'plain batched INSERT (rows/s)', opsPerSecond: plain },
        ratio: one / plain,
        checked,
        node,
        at,
      },
      {
        name: 'audit-verify-bundle',
        description: `verifying an exported bundle offline (shuan audit verify-bundle: ${mb.toFixed(1)} MB of canonical events hashed as read, SM3 links, SM2 checkpoints) vs openssl dgst -sm3 over the same bytes (MB/s)`,
        ours: { label: 'shuan audit verify-bundle (MB/s)', opsPerSecond: mb / bundleSeconds },
        anchor: { label: 'openssl dgst -sm3 (MB/s)', opsPerSecond: mb / opensslSeconds },
        ratio: mb / bundleSeconds / (mb / opensslSeconds),
        checked: verifyChecked,
        node,
        at,
      },
      {
        name: 'audit-verify',
        description: `verifying the chain in the database (shuan audit verify (${mb.toFixed(1)} MB of canonical events: read, re-encode, SM3 links, HMAC-SM3, SM2 checkpoints) vs openssl dgst -sm3 over the same bytes (MB/s)`,
        ours: { label: 'shuan audit verify (MB/s)', opsPerSecond: mb / verifySeconds },
        anchor: { label: 'openssl dgst -sm3 (MB/s)', opsPerSecond: mb / opensslSeconds },
        ratio: mb / verifySeconds / (mb / opensslSeconds),
        checked: verifyChecked,
        node,
        at,
      },
    ];
  });
}
