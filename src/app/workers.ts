// The background worker of a server process: which job kinds it runs and with which service.
import type { Db } from '../db/database.ts';
import { VERIFY_JOB } from '../modules/audit/audit-integrity.service.ts';
import { SCAN_JOB } from '../modules/discovery/discovery.service.ts';
import { JobRunner, type JobRunnerOptions } from '../modules/jobs/job-runner.ts';
import { REENCRYPT_JOB } from '../modules/protection/datasets.service.ts';
import type { Services } from './services.ts';

export function createJobRunner(db: Db, services: Services, opts: JobRunnerOptions = {}): JobRunner {
  return new JobRunner(db, opts)
    .register(SCAN_JOB, (ctx, job) => services.discovery.run(ctx, job))
    .register(REENCRYPT_JOB, (ctx, job) => services.datasets.runReencryptJob(ctx, job))
    .register(VERIFY_JOB, (ctx) => services.auditIntegrity.runVerifyJob(ctx));
}
