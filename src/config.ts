// Process configuration from the environment. Policy values that administrators tune at run time
// (password expiry, lockout, session timeouts) live in the settings table instead.
import { join, resolve } from 'node:path';

export interface AppConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  /**
   * Reverse proxies (TLS terminated in front of the app) whose X-Forwarded-* headers are believed: a hop
   * count ("1") or a comma-separated list of proxy addresses/CIDRs. Never "everything": the client writes
   * the leftmost X-Forwarded-For entry, and the client IP feeds login rate limits and the audit log.
   */
  trustProxy: number | string[] | false;
  webDir: string;
  logLevel: string;
  /** AUD-2: the file outside the database that keeps the newest signed checkpoint (roll-back detection). */
  auditWitness: string;
  /**
   * Lease of a background job (scans, re-encryption) held by a `shuan serve` process and renewed every third of
   * it: after a crash the job is taken up again once its lease has run out (SHUAN_JOB_LEASE_SECONDS, default 30).
   */
  jobLeaseSeconds: number;
  /**
   * Background jobs one `shuan serve` process runs at once (SHUAN_JOB_CONCURRENCY, default 2, at most 16): with
   * one, a long audit verification or re-encryption held every scan queued behind it.
   */
  jobConcurrency: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = env.PORT === undefined ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`);
  }
  const jobLeaseSeconds = env.SHUAN_JOB_LEASE_SECONDS === undefined || env.SHUAN_JOB_LEASE_SECONDS === '' ? 30 : Number(env.SHUAN_JOB_LEASE_SECONDS);
  if (!Number.isInteger(jobLeaseSeconds) || jobLeaseSeconds < 2) {
    throw new Error(`SHUAN_JOB_LEASE_SECONDS must be an integer of at least 2 (seconds), got "${env.SHUAN_JOB_LEASE_SECONDS}"`);
  }
  const jobConcurrency = env.SHUAN_JOB_CONCURRENCY === undefined || env.SHUAN_JOB_CONCURRENCY === '' ? 2 : Number(env.SHUAN_JOB_CONCURRENCY);
  if (!Number.isInteger(jobConcurrency) || jobConcurrency < 1 || jobConcurrency > 16) {
    throw new Error(`SHUAN_JOB_CONCURRENCY must be an integer from 1 to 16 (jobs at once), got "${env.SHUAN_JOB_CONCURRENCY}"`);
  }
  return {
    host: env.HOST || '127.0.0.1',
    port,
    dataDir: resolve(env.SHUAN_DATA_DIR || 'data'),
    databaseUrl: env.DATABASE_URL || null,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    webDir: resolve(env.SHUAN_WEB_DIR || 'web/dist'),
    logLevel: env.LOG_LEVEL || 'info',
    auditWitness: resolve(env.SHUAN_AUDIT_WITNESS || join(env.SHUAN_DATA_DIR || 'data', 'audit-witness.json')),
    jobLeaseSeconds,
    jobConcurrency,
  };
}

function parseTrustProxy(value: string | undefined): number | string[] | false {
  if (!value || value === '0' || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true') {
    throw new Error('TRUST_PROXY=true would trust any client-supplied X-Forwarded-For; give the hop count (e.g. 1) or the proxy addresses');
  }
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}
