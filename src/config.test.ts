// Process configuration read from the environment: the job lease an operator may shorten or lengthen.
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('SHUAN_JOB_LEASE_SECONDS: 30 s by default, an integer of at least 2 otherwise; a bad value stops the start', () => {
    expect(loadConfig({}).jobLeaseSeconds).toBe(30);
    expect(loadConfig({ SHUAN_JOB_LEASE_SECONDS: '3' }).jobLeaseSeconds).toBe(3);
    expect(loadConfig({ SHUAN_JOB_LEASE_SECONDS: '120' }).jobLeaseSeconds).toBe(120);
    for (const bad of ['1', '0', '-5', '2.5', 'abc', '30s']) {
      expect(() => loadConfig({ SHUAN_JOB_LEASE_SECONDS: bad })).toThrow(`SHUAN_JOB_LEASE_SECONDS must be an integer of at least 2 (seconds), got "${bad}"`);
    }
  });

  it('SHUAN_JOB_CONCURRENCY: 2 jobs at once by default, 1–16 otherwise; a bad value stops the start', () => {
    expect(loadConfig({}).jobConcurrency).toBe(2);
    expect(loadConfig({ SHUAN_JOB_CONCURRENCY: '1' }).jobConcurrency).toBe(1);
    expect(loadConfig({ SHUAN_JOB_CONCURRENCY: '16' }).jobConcurrency).toBe(16);
    for (const bad of ['0', '17', '-1', '1.5', 'two']) {
      expect(() => loadConfig({ SHUAN_JOB_CONCURRENCY: bad })).toThrow(`SHUAN_JOB_CONCURRENCY must be an integer from 1 to 16 (jobs at once), got "${bad}"`);
    }
  });
});
