// Real embedded PostgreSQL servers, each in its own temp directory.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const childFixture = path.join(repoRoot, 'test/fixtures/embedded/child.ts');
const isRoot = process.getuid?.() === 0;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function tempDir(): Promise<string> {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'shuan-embedded-test-')));
  cleanups.push(async () => {
    // Whatever happened in the test, leave no server behind for this directory.
    for (const pid of postgresPidsUnder(dir)) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // gone
      }
    }
    await fs.rm(dir, { recursive: true, force: true });
  });
  return dir;
}

async function start(dataDir: string, database?: string): Promise<EmbeddedPostgres & { logs: string[] }> {
  const logs: string[] = [];
  const server = await startEmbeddedPostgres({ dataDir, database, onLog: (l) => logs.push(l) });
  cleanups.push(() => server.stop());
  return Object.assign(server, { logs });
}

async function query<R extends pg.QueryResultRow = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Processes whose working directory is inside `dir` (a postmaster and its children chdir into pg/). */
function postgresPidsUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      const exe = readlinkSync(`/proc/${entry}/exe`);
      if ((cwd === dir || cwd.startsWith(`${dir}/`)) && path.basename(exe) === 'postgres') pids.push(Number(entry));
    } catch {
      // exited or not inspectable
    }
  }
  return pids;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

function readConfig(dataDir: string): { port: number; password: string; user: string; osUser: string } {
  return JSON.parse(readFileSync(path.join(dataDir, 'embedded.json'), 'utf8'));
}

function runChild(
  dataDir: string,
  args: string[],
  opts: { uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {},
): {
  child: ChildProcess;
  output: () => string;
  waitFor: (text: string) => Promise<void>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', childFixture, dataDir, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: opts.uid,
    gid: opts.gid,
    env: { ...process.env, ...opts.env },
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out.includes(text)) {
          child.stdout?.off('data', check);
          resolve();
        }
      };
      child.stdout?.on('data', check);
      check();
      exited.then((code) => reject(new Error(`child exited (${code}) before "${text}":\n${out}`)));
    });
  return { child, output: () => out, waitFor, exited };
}

describe('startEmbeddedPostgres', () => {
  it('initialises on first start and reuses the data on the next one', async () => {
    const dir = await tempDir();
    const first = await start(dir);
    expect(first.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/shuan$/);
    expect(first.adminUrl).toBe(first.url.replace(/\/shuan$/, '/postgres'));
    expect(first.url).toContain(`:${first.port}/`);
    expect(first.logs.some((l) => l.includes('initialising'))).toBe(true);
    const [db] = await query<{ db: string; enc: string }>(
      first.url,
      `SELECT current_database() AS db, pg_encoding_to_char(encoding) AS enc FROM pg_database WHERE datname = current_database()`,
    );
    expect(db).toEqual({ db: 'shuan', enc: 'UTF8' });
    await query(first.url, 'CREATE TABLE kept (v text)');
    await query(first.url, `INSERT INTO kept VALUES ('数安')`);
    const pgVersionMtime = statSync(path.join(dir, 'pg', 'PG_VERSION')).mtimeMs;
    await first.stop();
    await first.stop(); // harmless
    expect(postgresPidsUnder(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(existsSync(path.join(dir, 'embedded.lock'))).toBe(false);

    const second = await start(dir);
    expect(second.logs.some((l) => l.includes('initialising'))).toBe(false);
    expect(statSync(path.join(dir, 'pg', 'PG_VERSION')).mtimeMs).toBe(pgVersionMtime);
    expect(second.port).toBe(first.port); // remembered
    expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: '数安' }]);
    await second.stop();
  });

  it('creates the requested database on an existing cluster', async () => {
    const dir = await tempDir();
    const a = await start(dir, 'alpha');
    await a.stop();
    const b = await start(dir, 'beta');
    const names = await query<{ datname: string }>(b.adminUrl, `SELECT datname FROM pg_database ORDER BY datname`);
    expect(names.map((r) => r.datname)).toEqual(expect.arrayContaining(['alpha', 'beta', 'postgres']));
    expect(b.url.endsWith('/beta')).toBe(true);
  });

  it('stores a random password in a 0600 file and never logs it', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    const file = path.join(dir, 'embedded.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const config = readConfig(dir);
    expect(config.password).not.toBe('password');
    expect(config.password.length).toBeGreaterThanOrEqual(24);
    expect(config.port).toBe(server.port);
    expect(config.user).toBe('postgres');
    expect(server.url).toContain(encodeURIComponent(config.password));
    expect(server.logs.join('\n')).not.toContain(config.password);
    // scram-sha-256: a wrong password is refused
    const wrong = new URL(server.adminUrl);
    wrong.password = 'password';
    await expect(query(wrong.toString(), 'SELECT 1')).rejects.toMatchObject({ code: '28P01' });
    const [auth] = await query<{ enc: string }>(server.adminUrl, `SHOW password_encryption`);
    expect(Object.values(auth ?? {})).toEqual(['scram-sha-256']);

    // A second directory gets a different password.
    const other = await tempDir();
    await (await start(other)).stop();
    expect(readConfig(other).password).not.toBe(config.password);
  });

  it('listens only on 127.0.0.1, with its unix socket inside the data directory', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    const [listen] = await query<{ listen_addresses: string }>(server.adminUrl, 'SHOW listen_addresses');
    expect(listen?.listen_addresses).toBe('127.0.0.1');
    const [sock] = await query<{ unix_socket_directories: string }>(server.adminUrl, 'SHOW unix_socket_directories');
    expect(sock?.unix_socket_directories).toBe(path.join(dir, 'pg'));

    // Kernel view: every listening TCP socket on the port is bound to 127.0.0.1, none to IPv6.
    const portHex = server.port.toString(16).toUpperCase().padStart(4, '0');
    const listening = (file: string) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f[1]?.endsWith(`:${portHex}`) && f[3] === '0A')
        .map((f) => f[1]);
    expect(listening('/proc/net/tcp')).toEqual([`0100007F:${portHex}`]);
    if (existsSync('/proc/net/tcp6')) expect(listening('/proc/net/tcp6')).toEqual([]);

    // And a non-loopback address of this machine is refused.
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) {
      const url = new URL(server.adminUrl);
      url.hostname = external.address;
      await expect(query(url.toString(), 'SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
  });

  it('applies extra settings but never lets them widen where it listens', async () => {
    const dir = await tempDir();
    await expect(startEmbeddedPostgres({ dataDir: dir, settings: { listen_addresses: '*' } })).rejects.toThrow(/cannot be set/);
    await expect(startEmbeddedPostgres({ dataDir: dir, settings: { 'port=1 -c x': '1' } })).rejects.toThrow(/cannot be set/);
    const server = await startEmbeddedPostgres({ dataDir: dir, settings: { synchronous_commit: 'off' } });
    cleanups.push(() => server.stop());
    expect(await query(server.adminUrl, 'SHOW synchronous_commit')).toEqual([{ synchronous_commit: 'off' }]);
  });

  it('picks another port when the remembered one is taken', async () => {
    const dir = await tempDir();
    const first = await start(dir);
    const remembered = first.port;
    await first.stop();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(remembered, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    const second = await start(dir);
    expect(second.port).not.toBe(remembered);
    expect(readConfig(dir).port).toBe(second.port);
    expect(await query(second.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('recovers from an orphaned server after its app was SIGKILLed, keeping committed data', async () => {
    const dir = await tempDir();
    const run = runChild(dir, ['orphan', 'before-kill']);
    await run.waitFor('ready');
    const orphanPid = Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    run.child.kill('SIGKILL');
    await run.exited;
    // The app is gone; its server is still running, orphaned, holding postmaster.pid.
    expect(isAlive(orphanPid)).toBe(true);
    expect(postgresPidsUnder(dir)).toContain(orphanPid);
    expect(existsSync(path.join(dir, 'embedded.lock'))).toBe(true); // the dead app's lock

    const server = await start(dir, 'app');
    expect(server.logs.some((l) => l.includes('orphaned server'))).toBe(true);
    expect(isAlive(orphanPid)).toBe(false);
    expect(await query(server.url, 'SELECT value FROM marks')).toEqual([{ value: 'before-kill' }]);
    await server.stop();
    expect(postgresPidsUnder(dir)).toEqual([]);
  });

  it('removes a stale postmaster.pid that names an unrelated live process', async () => {
    const dir = await tempDir();
    const first = await start(dir);
    await first.stop();
    // A lock left by a crash whose pid now belongs to something else (here: this test process).
    const stale = [process.pid, path.join(dir, 'pg'), '0', String(first.port), '', '127.0.0.1', '0 0', 'ready   ', ''];
    await fs.writeFile(path.join(dir, 'pg', 'postmaster.pid'), stale.join('\n'));
    const second = await start(dir);
    expect(second.logs.some((l) => l.includes('stale postmaster.pid'))).toBe(true);
    expect(await query(second.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('refuses a data directory in use by another live process, and by this one', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    await expect(startEmbeddedPostgres({ dataDir: dir })).rejects.toThrow(/already running in this process/);
    await server.stop();

    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    cleanups.push(() => {
      sleeper.kill('SIGKILL');
    });
    const stat = readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8');
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    await fs.writeFile(path.join(dir, 'embedded.lock'), JSON.stringify({ pid: sleeper.pid, startTime }));
    await expect(startEmbeddedPostgres({ dataDir: dir })).rejects.toThrow(/in use by process/);

    // Same pid number, different process (pid reuse): stale.
    await fs.writeFile(path.join(dir, 'embedded.lock'), JSON.stringify({ pid: sleeper.pid, startTime: '1' }));
    const again = await start(dir);
    expect(again.logs.some((l) => l.includes('stale embedded.lock'))).toBe(true);
  });

  it.runIf(isRoot)('also works when run by an unprivileged user', async () => {
    const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
    const nogroup = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
    if (nobody.status !== 0) return;
    const uid = Number(nobody.stdout.trim());
    const gid = Number(nogroup.stdout.trim());
    const dir = await tempDir();
    await fs.chown(dir, uid, gid);
    for (const value of ['one', 'two']) {
      const run = runChild(dir, ['once', value], { uid, gid, env: { HOME: dir } });
      expect(await run.exited, run.output()).toBe(0);
      expect(run.output()).toContain(`done ${value === 'one' ? 1 : 2}`);
    }
    expect(statSync(path.join(dir, 'pg')).uid).toBe(uid);
    expect(statSync(path.join(dir, 'embedded.json')).uid).toBe(uid);
    expect(readConfig(dir).osUser).toBe('nobody');
  });

  it.runIf(isRoot)('as root, runs the server as the postgres OS user', async () => {
    const dir = await tempDir();
    const server = await start(dir);
    const [pid] = postgresPidsUnder(dir);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    expect(uid).not.toBe(0);
    expect(statSync(path.join(dir, 'pg')).uid).toBe(uid);
    expect(statSync(path.join(dir, 'embedded.json')).uid).toBe(0);
    expect(readConfig(dir).osUser).toBe('postgres');
    await server.stop();
  });
});
