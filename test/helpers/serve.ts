// `shuan serve` as a real child process for the CLI tests: its own data directory (embedded PostgreSQL,
// demo city on the first start), started on a free port, logged into over HTTP, killed as the test needs.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOTP } from 'otpauth';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/modules/org/demo-city.ts';

export interface Served {
  child: ChildProcess;
  base: string;
  output: () => string;
}

export interface ServeHarness {
  dataDir: string;
  /** Starts `shuan serve` on this data directory (embedded PostgreSQL, PORT 0); `env` adds or overrides settings. */
  start(env?: NodeJS.ProcessEnv): Promise<Served>;
  /** PIDs of postgres processes whose working directory is this harness's cluster. */
  postgresPids(): number[];
  /** Kills what is left (servers, an orphaned PostgreSQL) and removes the data directory. */
  cleanup(): void;
}

export function serveHarness(prefix = 'shuan-serve-'): ServeHarness {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const children: ChildProcess[] = [];

  function start(extra: NodeJS.ProcessEnv = {}): Promise<Served> {
    const env: NodeJS.ProcessEnv = { ...process.env, SHUAN_DATA_DIR: dataDir, SHUAN_WEB_DIR: join(dataDir, 'no-web'), PORT: '0', LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    delete env.SHUAN_KEK;
    delete env.SHUAN_KEK_FILE; // these tests are about the embedded server, whatever the suite runs on
    Object.assign(env, extra);
    const child = spawn(process.execPath, ['bin/shuan.mjs', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 60_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = out.match(/listening: (http:\/\/127\.0\.0\.1:\d+)/);
        if (m) {
          clearTimeout(timer);
          resolve({ child, base: m[1] as string, output: () => out });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
    });
  }

  function postgresPids(): number[] {
    const pgDir = join(dataDir, 'pg');
    return readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readlinkSync(`/proc/${p}/cwd`) === pgDir && readlinkSync(`/proc/${p}/exe`).endsWith('postgres');
        } catch {
          return false;
        }
      })
      .map(Number);
  }

  function cleanup(): void {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const pid of postgresPids()) process.kill(pid, 'SIGQUIT');
    rmSync(dataDir, { recursive: true, force: true });
  }

  return { dataDir, start, postgresPids, cleanup };
}

export interface ServeSession {
  status: number;
  cookie: string;
  csrf: string;
  user: { id: string; institutionId: string };
}

export async function login(base: string, username: string, totp = false): Promise<ServeSession> {
  const body: Record<string, string> = { username, password: DEMO_PASSWORD };
  if (totp) body.totpCode = new TOTP({ secret: DEMO_TOTP_SECRET }).generate();
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as { csrfToken: string; user: ServeSession['user'] };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  return { status: res.status, cookie, csrf: json.csrfToken, user: json.user };
}

export const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))));
