// The data-service gateway (issue 7, "Measured"): requests/s and p50/p99 latency for a 100-row page with every
// step on (credential, grant checks, rate and volume counters, decrypt, mask, watermark, chained audit event),
// at 50 concurrent keep-alive connections on loopback, against the bare endpoint of the SAME server (same rows
// from the same store, decrypted, nothing else), in the same run, rounds interleaved; and the server's RSS.
//
// The server is started as production starts it (`npm start` → `node bin/shuan.mjs serve`: compiled to
// JavaScript at start, the production pool, the background workers) on the prepared database (DATABASE_URL,
// SHUAN_KEK), with SHUAN_BENCH_BARE=1, the configuration that registers GET /api/data-services/:grantId/bare,
// and LOG_LEVEL=warn (no access log line per request: the same for both endpoints, and a log pipe the load
// process would have to drain). Its RSS is read from /proc while the load runs. The load generator is a small
// keep-alive HTTP client (no extra dependency).
// Database: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres; a scratch database is
// created and dropped.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import type { BenchResult } from './run.ts';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = 10_000;
const PAGE = 100;
const CONNECTIONS = 50;
const ROUND_MS = Number(process.env.BENCH_GATEWAY_ROUND_MS ?? 8000);
const WARMUP_MS = 2000;
const ROUNDS = 3;
const PURPOSE = 'bench.gateway';

interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

/** 50 keep-alive connections, each sending its next request when the last answer arrived, for `ms`. */
async function load(port: number, path: string, headers: Record<string, string>, ms: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + ms;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - t0);
          else errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return { requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50: q(0.5), p99: q(0.99) };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function gatewayBench(): Promise<BenchResult[]> {
  const name = `shuan_bench_gateway_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const { withDatabase } = await import('../src/db/database.ts');
  const url = withDatabase(ADMIN_URL, name);
  let child: ChildProcess | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'shuan-bench-gateway-'));
  // One KEK for the setup process (which seals the rows) and the server (which opens them).
  const kek = randomBytes(32).toString('hex');
  const root = join(import.meta.dirname, '..');
  const run = (args: string[], env: NodeJS.ProcessEnv, said: (line: string) => Record<string, unknown> | null) => {
    const p = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: p.stdout as NodeJS.ReadableStream });
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      p.once('exit', (code) => reject(new Error(`gateway bench ${args.slice(1).join(' ')} exited (${code})`)));
      lines.on('line', (l) => {
        const v = said(l);
        if (v) resolve(v);
      });
    });
    return { p, said: answer };
  };
  try {
    // Setup (schema, demo city, 10,000 rows loaded, the grant and its credential) in a process of its own,
    // so the server's RSS is the serving's, not the load's.
    const setup = run(
      [join(root, 'bin', 'run-ts.mjs'), join(import.meta.dirname, 'gateway.ts'), '--setup'],
      { BENCH_GATEWAY_DB: url, BENCH_GATEWAY_KEK: kek },
      (l) => (l.startsWith('SETUP ') ? JSON.parse(l.slice(6)) : null),
    );
    const made = (await setup.said) as { grantId: string; token: string };
    await new Promise((r) => (setup.p.exitCode === null ? setup.p.once('exit', r) : r(null)));
    const server = run(
      [join(root, 'bin', 'shuan.mjs'), 'serve', '--no-demo'],
      {
        DATABASE_URL: url,
        SHUAN_KEK: kek,
        SHUAN_DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
        SHUAN_BENCH_BARE: '1',
      },
      (l) => {
        const m = /listening: http:\/\/127\.0\.0\.1:(\d+)/.exec(l);
        return m ? { port: Number(m[1]) } : null;
      },
    );
    child = server.p;
    const ready = { ...made, ...((await server.said) as { port: number }) };
    const pid = child.pid as number;
    const gatewayPath = `/api/data-services/${ready.grantId}/records?purpose=${PURPOSE}&limit=${PAGE}`;
    const barePath = `/api/data-services/${ready.grantId}/bare?limit=${PAGE}`;
    const auth = { authorization: `Bearer ${ready.token}` };
    // Sanity: both answer 100 rows, and the gateway's are masked.
    const check = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${ready.port}${path}`, { headers: auth });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { rows: Record<string, unknown>[] };
    };
    const [g, b] = [await check(gatewayPath), await check(barePath)];
    if (g.rows.length !== PAGE || b.rows.length !== PAGE) throw new Error('bench: pages are not 100 rows');
    if (g.rows[0]?.sfzh === b.rows[0]?.sfzh) throw new Error('bench: the gateway page is not masked');

    const idleRss = rssMb(pid);
    await load(ready.port, barePath, auth, WARMUP_MS);
    await load(ready.port, gatewayPath, auth, WARMUP_MS);
    const bare: LoadResult[] = [];
    const gateway: LoadResult[] = [];
    let peakRss = rssMb(pid);
    // Peak RSS while each endpoint is under load: memory the gateway's steps add shows as the difference.
    const peakBy = { bare: 0, gateway: 0 };
    let phase: keyof typeof peakBy = 'bare';
    const sampler = setInterval(() => {
      const now = rssMb(pid);
      peakRss = Math.max(peakRss, now);
      peakBy[phase] = Math.max(peakBy[phase], now);
    }, 200);
    for (let r = 0; r < ROUNDS; r++) {
      phase = 'bare';
      bare.push(await load(ready.port, barePath, auth, ROUND_MS));
      phase = 'gateway';
      gateway.push(await load(ready.port, gatewayPath, auth, ROUND_MS));
    }
    clearInterval(sampler);
    const bareRps = median(bare.map((x) => x.rps));
    const gwRps = median(gateway.map((x) => x.rps));
    const ratio = gwRps / bareRps;
    const result: BenchResult & Record<string, unknown> = {
      name: 'gateway',
      description: `GET records (${PAGE}-row page, every step on) vs the bare endpoint of the same server, ${CONNECTIONS} keep-alive connections on loopback, ${ROUNDS} interleaved rounds of ${ROUND_MS / 1000} s, ${ROWS} rows stored; medians`,
      ours: { label: 'gateway', opsPerSecond: gwRps },
      anchor: { label: 'bare endpoint', opsPerSecond: bareRps },
      ratio,
      checked: `both pages ${PAGE} rows; gateway rows masked; errors gateway ${gateway.reduce((s, x) => s + x.errors, 0)}, bare ${bare.reduce((s, x) => s + x.errors, 0)}; goal ratio ≥ 0.6 ${ratio >= 0.6 ? 'met' : 'NOT met'}, RSS < 300 MB ${peakRss < 300 ? 'met' : 'NOT met'}`,
      node: process.version,
      at: new Date().toISOString(),
      gateway: {
        rps: gwRps,
        p50Ms: median(gateway.map((x) => x.p50)),
        p99Ms: median(gateway.map((x) => x.p99)),
        rounds: gateway,
      },
      bare: { rps: bareRps, p50Ms: median(bare.map((x) => x.p50)), p99Ms: median(bare.map((x) => x.p99)), rounds: bare },
      serverPeakRssMb: Math.round(peakRss),
      serverPeakRssMbWhile: { bare: Math.round(peakBy.bare), gateway: Math.round(peakBy.gateway) },
      /** After setup and the two sanity calls, before any load (the process is `bin/shuan.mjs serve`: compiled JavaScript). */
      serverIdleRssMb: Math.round(idleRss),
      connections: CONNECTIONS,
      pageRows: PAGE,
      storedRows: ROWS,
      cpus: (await import('node:os')).cpus().length,
    };
    console.log(
      `gateway: ${gwRps.toFixed(0)} req/s p50 ${result.gateway && (result.gateway as { p50Ms: number }).p50Ms.toFixed(1)} ms p99 ${(result.gateway as { p99Ms: number }).p99Ms.toFixed(1)} ms; bare ${bareRps.toFixed(0)} req/s; ratio ${ratio.toFixed(2)}; server RSS ${Math.round(peakRss)} MB (peak under bare load ${Math.round(peakBy.bare)} MB, under gateway load ${Math.round(peakBy.gateway)} MB)`,
    );
    return [result];
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child?.once('exit', r));
    }
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const benchKek = async () => {
  const { Kek } = await import('../src/modules/protection/kek.ts');
  return new Kek(Buffer.from(process.env.BENCH_GATEWAY_KEK as string, 'hex'), 'env', null);
};

/** The setup: the scratch database migrated and seeded, a 10,000-row resource granted to 教育局. */
async function setup(): Promise<void> {
  const { sql } = await import('kysely');
  const { createDb } = await import('../src/db/database.ts');
  const { uuidv7 } = await import('../src/db/ids.ts');
  const { migrateToLatest } = await import('../src/db/migrate.ts');
  const { buildApp } = await import('../src/app/build-app.ts');
  const { seedDemoCity } = await import('../src/modules/org/demo-seed.ts');
  const { loadActor } = await import('../src/modules/org/actor.repo.ts');
  const { sm3 } = await import('../src/engines/gm/index.ts');
  const db = createDb(process.env.BENCH_GATEWAY_DB as string, { max: 20 });
  await migrateToLatest(db);
  await seedDemoCity(db);
  const { app, services } = await buildApp({ db, kek: await benchKek() });
  const inst = async (n: string) => (await db.selectFrom('institutions').select('id').where('name', '=', n).executeTakeFirstOrThrow()).id;
  const user = async (u: string) => (await db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;
  const [psb, edu, stewardId, userId] = await Promise.all([inst('示范市公安局'), inst('示范市教育局'), user('psb.steward'), user('edu.user')]);
  const info = { ip: null, requestId: null, lang: 'zh' as const };
  const steward = await loadActor(db, stewardId, info, { tokenScopes: null, sessionId: null });
  const eduUser = await loadActor(db, userId, info, { tokenScopes: null, sessionId: null });
  if (!steward || !eduUser) throw new Error('bench: demo accounts missing');

  const systemId = uuidv7();
  const resourceId = uuidv7();
  await db
    .insertInto('systems')
    .values({ id: systemId, institution_id: psb, name: '户籍系统', status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
    .execute();
  await db
    .insertInto('data_resources')
    .values({
      id: resourceId,
      institution_id: psb,
      system_id: systemId,
      name: '户籍人口（基准）',
      share_attribute: 'conditional',
      share_basis: '《示范市公共数据管理办法》第十条',
      open_attribute: 'not_open',
      collection: JSON.stringify({ purpose: '履行法定职责' }),
      published: true,
      level: 'general-3',
      grading_status: 'approved',
    })
    .execute();
  const fields = [
    ['sfzh', 'string', '身份证号', 'id_number'],
    ['xm', 'string', '姓名', 'name'],
    ['qx', 'string', '所属区县', null],
    ['nl', 'integer', '年龄', null],
    ['je', 'decimal', '补贴金额', null],
  ] as const;
  for (const [i, [fname, type, description, piType]] of fields.entries()) {
    await db
      .insertInto('data_fields')
      .values({ id: uuidv7(), resource_id: resourceId, institution_id: psb, position: i + 1, name: fname, data_type: type, description, pi_type: piType })
      .execute();
  }
  const rows = async function* () {
    for (let i = 0; i < ROWS; i++) {
      yield {
        line: i + 2,
        values: {
          sfzh: `110105${1960 + (i % 40)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}X`,
          xm: `${'张王李赵刘陈杨黄'[i % 8]}${'伟芳娜敏静丽强磊'[(i * 3) % 8]}${i}`,
          qx: ['东城区', '西城区', '朝阳区', '海淀区'][i % 4],
          nl: String(18 + (i % 60)),
          je: (1000 + i * 3.25).toFixed(2),
        },
      };
    }
  };
  await services.datasets.load(
    steward,
    resourceId,
    { kind: 'bench', name: 'bench', columns: ['sfzh', 'xm', 'qx', 'nl', 'je'], rows: rows() },
    { mode: 'replace' },
  );
  // Fresh statistics, as autovacuum would leave them on a running server (else the planner sorts all rows per page).
  await sql`ANALYZE`.execute(db);

  const requestId = uuidv7();
  const agreementId = uuidv7();
  const grantId = uuidv7();
  const base = {
    resource_id: resourceId,
    provider_institution_id: psb,
    fields: JSON.stringify(['sfzh', 'xm', 'qx', 'nl', 'je']),
    row_filter: null,
    purpose: '基准测试',
    purpose_code: PURPOSE,
    scenario: '基准测试',
    method: 'interface' as const,
    term_start: '2020-01-01',
    term_end: '2099-12-31',
    rate_per_minute: 100_000,
    rows_per_day: 100_000_000,
  };
  await db
    .insertInto('share_requests')
    .values({
      ...base,
      id: requestId,
      number: 'BENCH-REQ-1',
      applicant_institution_id: edu,
      applicant_user_id: userId,
      legal_basis: '基准测试',
      security_measures: '基准测试',
      liability_accepted: true,
      share_attribute: 'conditional',
      status: 'granted',
    })
    .execute();
  const text = '数据安全保护协议（基准测试）';
  await db
    .insertInto('share_agreements')
    .values({
      id: agreementId,
      number: 'BENCH-AGR-1',
      request_id: requestId,
      text,
      text_sm3: sm3(Buffer.from(text)).toString('hex'),
      status: 'signed',
      signed_at: new Date(),
    })
    .execute();
  await db
    .insertInto('share_grants')
    .values({ ...base, id: grantId, number: 'BENCH-GRT-1', request_id: requestId, agreement_id: agreementId, recipient_institution_id: edu })
    .execute();
  // The per-minute counter is one row per grant: the rate limit itself is what is measured, set out of reach.
  await sql`UPDATE share_grants SET rate_per_minute = 100000000 WHERE id = ${grantId}`.execute(db);
  const cred = await services.shareGrants.createCredential(eduUser, grantId, { name: 'bench' });
  await services.auditLog.flush();
  await app.close();
  await db.destroy();
  process.stdout.write(`SETUP ${JSON.stringify({ grantId, token: cred.token })}\n`);
}

if (process.argv[1]?.endsWith('gateway.ts')) {
  if (process.argv.includes('--setup')) await setup();
}
