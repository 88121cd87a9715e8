// Issue 4 acceptance, "a scan job that survives a server restart", with a real crash: `shuan serve` (lease of
// 3 s, SHUAN_JOB_LEASE_SECONDS) is killed with SIGKILL while the background worker is in the middle of a
// scan; the next `shuan serve` on the same data directory takes the job up again once the lease has run out
// and finishes it, with the same result as `shuan scan` of the same file.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvField, Gen } from '../../src/engines/discovery/corpus.ts';
import type { Job } from '../../src/modules/jobs/jobs.schemas.ts';
import { exited, login, type ServeSession, serveHarness } from '../helpers/serve.ts';

const harness = serveHarness('shuan-scan-restart-');
afterAll(() => harness.cleanup());

const LEASE_SECONDS = 3;
// Enough rows that the scan is still running when we see it running (it reads the store 1,000 rows a batch).
const N = 100_000;
const FIELDS = ['sfzh', 'sjhm', 'yhkh', 'ddbh'] as const;

function plantedCsv(): string {
  const g = new Gen(4);
  const lines = [FIELDS.join(',')];
  for (let i = 0; i < N; i++) lines.push([g.residentId(), g.mobile(), g.bankCard(), g.orderNumber()].map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

async function call(base: string, s: ServeSession, method: string, path: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

/** Polls the job until `until` holds; fails with the last state at the deadline. */
async function waitFor(base: string, s: ServeSession, jobId: string, until: (j: Job) => boolean, ms: number, everyMs = 100): Promise<Job> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  while (Date.now() < deadline) {
    const res = await call(base, s, 'GET', `/api/jobs/${jobId}`);
    if (res.status === 200) {
      const job = res.json() as Job;
      if (until(job)) return job;
      last = job;
    } else last = res.text;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`job ${jobId} did not reach the expected state in ${ms} ms; last: ${JSON.stringify(last)}`);
}

type ScanColumn = {
  name: string;
  hits: Record<string, number>;
  types: { type: string }[];
  piCategory: string | null;
  category: string | null;
  level: string | null;
};

describe('a scan job and a server crash (issue 4)', () => {
  it('SIGKILL mid-scan, start again: the job is claimed a second time and finishes with the same result as `shuan scan`', async () => {
    const csv = plantedCsv();
    const csvPath = join(harness.dataDir, 'planted.csv');
    writeFileSync(csvPath, csv);

    const first = await harness.start({ SHUAN_JOB_LEASE_SECONDS: String(LEASE_SECONDS) });
    // The data steward of the police bureau holds catalog.manage there (demo city).
    const steward = await login(first.base, 'psb.steward');
    expect(steward.status).toBe(200);
    const system = await call(first.base, steward, 'POST', '/api/systems', { institutionId: steward.user.institutionId, name: '重启扫描测试系统' });
    expect(system.status, system.text).toBe(201);
    const resource = await call(first.base, steward, 'POST', '/api/resources', {
      systemId: system.json().id,
      name: '重启扫描测试资源',
      shareAttribute: 'unconditional',
      openAttribute: 'not_open',
      fields: FIELDS.map((name) => ({ name, dataType: 'string' })),
    });
    expect(resource.status, resource.text).toBe(201);
    const resourceId = resource.json().id as string;
    const load = await call(first.base, steward, 'POST', `/api/resources/${resourceId}/dataset?mode=replace&fileName=planted.csv`, csv, 'text/csv');
    expect(load.status, load.text).toBe(200);

    const queued = await call(first.base, steward, 'POST', `/api/resources/${resourceId}/scans`, {});
    expect(queued.status, queued.text).toBe(202);
    const jobId = (queued.json() as Job).id;
    // The worker claims it within a poll (1 s) and reports its first progress at once.
    const running = await waitFor(first.base, steward, jobId, (j) => j.status === 'running' && (j.progress?.done ?? 0) > 0, 30_000, 50);
    expect(running.attempts).toBe(1);
    first.child.kill('SIGKILL');
    await exited(first.child);
    // Killed in the middle: the job was not finished.
    expect(running.progress?.done).toBeLessThan(N);

    const second = await harness.start({ SHUAN_JOB_LEASE_SECONDS: String(LEASE_SECONDS) });
    const again = await login(second.base, 'psb.steward');
    expect(again.status).toBe(200);
    const done = await waitFor(second.base, again, jobId, (j) => j.status !== 'running' && j.status !== 'queued', 120_000, 250);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, progress: { done: N, total: N } });
    const result = done.result as { rows: number; sampled: boolean; columns: ScanColumn[]; summary: { rowsWithPi: number } };
    expect(result.rows).toBe(N);
    expect(result.sampled).toBe(false);
    expect(result.summary.rowsWithPi).toBe(N);
    // What was planted: every row an ID number, a mobile number and a bank card; order numbers are no PI.
    const col = (n: string) => result.columns.find((c) => c.name === n) as ScanColumn;
    expect(col('sfzh').hits.CN_RESIDENT_ID).toBe(N);
    expect(col('sfzh').types[0]?.type).toBe('CN_RESIDENT_ID');
    expect(col('sjhm').hits.CN_MOBILE).toBe(N);
    expect(col('sjhm').types[0]?.type).toBe('CN_MOBILE');
    expect(col('yhkh').hits.BANK_CARD).toBe(N);
    expect(col('yhkh').types[0]?.type).toBe('BANK_CARD');
    expect(col('ddbh').types).toEqual([]);

    // The same file through the command line (no platform database): the same counts and proposals.
    const cli = spawnSync(process.execPath, ['bin/shuan.mjs', 'scan', csvPath, '--format', 'json'], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    const direct = JSON.parse(cli.stdout) as {
      rows: number;
      columns: {
        name: string;
        hits: Record<string, number>;
        proposal: { types: string[]; piCategory: string | null; category: string | null; level: string | null };
      }[];
    };
    expect(direct.rows).toBe(N);
    expect(
      result.columns.map((c) => ({
        name: c.name,
        hits: c.hits,
        proposal: { types: c.types.map((t) => t.type), piCategory: c.piCategory, category: c.category, level: c.level },
      })),
    ).toEqual(direct.columns);

    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    expect(harness.postgresPids()).toEqual([]);
  }, 300_000);
});
