// `shuan audit …` (AUD-2, AUD-4): verify exits 0 on an intact log and 1 naming the first broken position;
// an export verifies offline with no database against the published key fingerprint; retention refuses
// to archive anything younger than the legal minimum and archives older events as a signed bundle first;
// two server processes writing concurrently to one PostgreSQL produce one valid chain.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app/services.ts';
import { uuidv7 } from '../../src/db/ids.ts';
import { Kek } from '../../src/modules/protection/kek.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const secret = randomBytes(32);
const kek = new Kek(secret, 'env', null);
const dir = mkdtempSync(join(tmpdir(), 'shuan-audit-cli-'));

function shuanIn(t: TestDatabase, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['bin/shuan.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: t.url, NO_COLOR: '1', SHUAN_KEK: secret.toString('hex'), SHUAN_DATA_DIR: join(dir, 'data'), ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Events written straight into the log as if they had happened `monthsAgo` months ago, then chained. */
async function oldEvents(t: TestDatabase, n: number, monthsAgo: number) {
  for (let i = 0; i < n; i++) {
    await sql`WITH e AS (
        INSERT INTO audit_events (id, occurred_at, action, outcome, actor_username, details)
        VALUES (${uuidv7()}, now() - make_interval(months => ${monthsAgo}) + make_interval(secs => ${i}), 'auth.login', 'success', 'old.user', ${JSON.stringify({ i })}::jsonb)
        RETURNING seq, id)
      INSERT INTO audit_pending (seq, event_id) SELECT seq, id FROM e`.execute(t.db);
  }
}

describe('shuan audit verify / export / verify-bundle', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    const s = createServices(t.db, kek);
    const who = { userId: null, username: 'cli.test', institutionId: null };
    await Promise.all(Array.from({ length: 80 }, (_, i) => s.auditLog.append(who, { action: 'catalog.export', details: { i } })));
  });
  afterAll(() => t.drop());

  it('verifies an intact log (exit 0) and prints JSON on request', () => {
    const r = shuanIn(t, ['audit', 'verify', '--format', 'json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, checkedEvents: 80, problem: null });
  });

  it('exports a bundle that verifies with no database, against the published fingerprint', () => {
    const file = join(dir, 'bundle.jsonl');
    expect(shuanIn(t, ['audit', 'export', '--out', file]).code).toBe(0);
    const fp = JSON.parse(shuanIn(t, ['audit', 'public-key', '--format', 'json']).out).keys[0].fingerprint as string;
    // No database at all: a wrong DATABASE_URL does not matter to verify-bundle.
    const offline = shuanIn(t, ['audit', 'verify-bundle', file, '--fingerprint', fp], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(offline.code).toBe(0);
    expect(offline.out).toContain('校验通过');
    expect(shuanIn(t, ['audit', 'verify-bundle', file, '--fingerprint', 'ab'.repeat(32)]).code).toBe(1);
    const lines = readFileSync(file, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('E ')) + 10;
    lines[i] = (lines[i] as string).replace('"catalog.export"', '"catalog.import"');
    writeFileSync(join(dir, 'edited.jsonl'), lines.join('\n'));
    const edited = shuanIn(t, ['audit', 'verify-bundle', join(dir, 'edited.jsonl'), '--format', 'json']);
    expect(edited.code).toBe(1);
    expect(JSON.parse(edited.out).problem).toMatchObject({ kind: 'hash_mismatch', position: 11 });
    expect(shuanIn(t, ['audit', 'verify-bundle', join(dir, 'missing.jsonl')]).code).toBe(2);
    expect(shuanIn(t, ['audit', 'verify-bundle', file, '--fingerprint', 'xyz']).code).toBe(2);
  });

  it('exits 1 with the first broken position when the database was edited', async () => {
    const row = await t.db.selectFrom('audit_chain').select('event_id').where('position', '=', 42).executeTakeFirstOrThrow();
    await sql`SET session_replication_role = replica`.execute(t.db);
    await sql`UPDATE audit_events SET actor_username = 'mallory' WHERE id = ${row.event_id}`.execute(t.db);
    const r = shuanIn(t, ['audit', 'verify']);
    await sql`UPDATE audit_events SET actor_username = 'cli.test' WHERE id = ${row.event_id}`.execute(t.db);
    await sql`SET session_replication_role = origin`.execute(t.db);
    expect(r.code).toBe(1);
    expect(r.out).toContain('位置 position 42');
    expect(shuanIn(t, ['audit', 'verify']).code).toBe(0);
  });
});

describe('shuan audit archive (AUD-4 retention)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    const s = createServices(t.db, kek);
    await oldEvents(t, 30, 8);
    await s.auditLog.flush();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.auditLog.append({ userId: null, username: 'recent', institutionId: null }, { action: 'auth.login', details: { i } }),
      ),
    );
  });
  afterAll(() => t.drop());

  it('refuses to archive anything younger than six months', async () => {
    const r = shuanIn(t, ['audit', 'archive', '--before', new Date(Date.now() - 30 * 86400_000).toISOString(), '--out-dir', join(dir, 'arch0')]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('AUDIT_RETENTION');
    expect(
      Number(
        (
          await t.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(50);
  });

  it('archives older events into a signed bundle that verifies, removes them, and the rest still verifies', async () => {
    const out = join(dir, 'arch1');
    const before = new Date(Date.now() - 7 * 30 * 86400_000).toISOString();
    const r = shuanIn(t, ['audit', 'archive', '--before', before, '--out-dir', out, '--format', 'json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ events: 30, first: 1, last: 30 });
    const [file] = readdirSync(out);
    expect(shuanIn(t, ['audit', 'verify-bundle', join(out, file as string)]).code).toBe(0);
    const left = await t.db.selectFrom('audit_events').select(['actor_username']).execute();
    expect(left.some((e) => e.actor_username === 'old.user')).toBe(false);
    expect(shuanIn(t, ['audit', 'verify', '--format', 'json']).code).toBe(0);
    // Young events stay protected: the database refuses to remove them.
    await expect(sql`DELETE FROM audit_events WHERE actor_username = 'recent'`.execute(t.db)).rejects.toThrow(/retention|may be removed/);
  });
});

describe('two server processes on one PostgreSQL', () => {
  let t: TestDatabase;
  const servers: ChildProcess[] = [];
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    for (const s of servers) s.kill('SIGTERM');
    await t.drop();
  });

  function start(): Promise<string> {
    const child = spawn(process.execPath, ['bin/shuan.mjs', 'serve', '--no-demo'], {
      env: {
        ...process.env,
        DATABASE_URL: t.url,
        PORT: '0',
        NO_COLOR: '1',
        SHUAN_KEK: secret.toString('hex'),
        SHUAN_DATA_DIR: join(dir, 'two'),
        SHUAN_WEB_DIR: join(dir, 'no-web'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    servers.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d) => {
        out += d;
        const m = /listening: (http:\/\/[^\s]+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
  }

  it('produce one valid, gap-free chain from concurrent writes', async () => {
    const urls = await Promise.all([start(), start()]);
    const hits = async (base: string, n: number) => {
      for (let i = 0; i < n; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_, j) =>
            fetch(`${base}/api/auth/login`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${j}.${i % 250}` },
              body: JSON.stringify({ username: `nobody${i + j}`, password: 'wrong-password-1' }),
            }).then((r) => r.text()),
          ),
        );
      }
    };
    await Promise.all(urls.map((u) => hits(u, 150)));
    const s = createServices(t.db, kek);
    await s.auditLog.flush();
    const events = Number(
      (
        await t.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(events).toBeGreaterThanOrEqual(300);
    const report = await s.auditIntegrity.verifyLog();
    expect(report.problem).toBeNull();
    expect(report).toMatchObject({ ok: true, checkedEvents: events, pending: 0 });
  }, 180_000);
});
