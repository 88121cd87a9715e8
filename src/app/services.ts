// The service container: one instance of each service per app, sharing one database handle.
import type { Db } from '../db/database.ts';
import { AlertsProcessor } from '../modules/audit/alerts.processor.ts';
import { AlertsService } from '../modules/audit/alerts.service.ts';
import { AuditLog, type AuditLogOptions } from '../modules/audit/audit.sealer.ts';
import { AuditService } from '../modules/audit/audit.service.ts';
import { AuditIntegrityService, VERIFY_JOB, VERIFY_JOB_KIND } from '../modules/audit/audit-integrity.service.ts';
import { AuditReportsService } from '../modules/audit/reports.service.ts';
import { AuditTraceService } from '../modules/audit/trace.service.ts';
import { AuthService } from '../modules/auth/auth.service.ts';
import { CatalogIoService } from '../modules/catalog/catalog-io.service.ts';
import { GradingService } from '../modules/catalog/grading.service.ts';
import { ResourcesService } from '../modules/catalog/resources.service.ts';
import { SchemeService } from '../modules/catalog/scheme.service.ts';
import { SystemsService } from '../modules/catalog/systems.service.ts';
import { DiscoveryService } from '../modules/discovery/discovery.service.ts';
import { JobsService } from '../modules/jobs/jobs.service.ts';
import { InstitutionsService } from '../modules/org/institutions.service.ts';
import { UsersService } from '../modules/org/users.service.ts';
import { AnonymityService } from '../modules/protection/anonymity.service.ts';
import { DatasetsService, REENCRYPT_JOB } from '../modules/protection/datasets.service.ts';
import { DeliveriesService } from '../modules/protection/deliveries.service.ts';
import type { Kek } from '../modules/protection/kek.ts';
import { KeysService } from '../modules/protection/keys.service.ts';
import { MaskingService } from '../modules/protection/masking.service.ts';
import { PullGuard } from '../modules/protection/pull-guard.ts';
import { SettingsService } from '../modules/settings/settings.service.ts';
import { ShareAgreementsService } from '../modules/sharing/agreements.service.ts';
import { DeletionDutiesService } from '../modules/sharing/duties.service.ts';
import { ErrorReportsService } from '../modules/sharing/error-reports.service.ts';
import { GatewayService } from '../modules/sharing/gateway.service.ts';
import { ShareGrantsService } from '../modules/sharing/grants.service.ts';
import { OpenDataService } from '../modules/sharing/open-data.service.ts';
import { SharingOverviewService } from '../modules/sharing/overview.service.ts';
import { ShareRequestsService } from '../modules/sharing/requests.service.ts';
import { SharingSweeper } from '../modules/sharing/sharing.sweeper.ts';
import { SigningKeys } from '../modules/sharing/signing-keys.ts';
import { WorkdaysService } from '../modules/workdays/workdays.service.ts';

/** `kek` may be a provider, called on first use (CLI commands that never touch keys need none configured). */
export function createServices(db: Db, kek: Kek | (() => Kek), opts: { audit?: AuditLogOptions } = {}) {
  const kekProvider = typeof kek === 'function' ? kek : () => kek;
  // AUD-2: the sealer/appender of the hash chain (one per process; processes share the chain through a lock).
  const auditLog = new AuditLog(db, kekProvider, opts.audit);
  const audit = new AuditService(db);
  const auditIntegrity = new AuditIntegrityService(db, auditLog, audit);
  const settings = new SettingsService(db);
  const workdays = new WorkdaysService(db);
  const alertsProcessor = new AlertsProcessor(db, workdays);
  const scheme = new SchemeService(db);
  const systems = new SystemsService(db, workdays);
  const resources = new ResourcesService(db, scheme);
  const keys = new KeysService(db, resources, kekProvider);
  const datasets = new DatasetsService(db, resources, keys);
  const masking = new MaskingService(db, resources);
  const jobs = new JobsService(db);
  jobs.defineKind(REENCRYPT_JOB, { read: 'protection.read', cancel: 'keys.manage', label: { zh: '按新密钥重新加密', en: 'Re-encrypt under the new key' } });
  // AUD-2: the chain's verification as a background job (read and cancelled platform-wide with audit.read).
  jobs.defineKind(VERIFY_JOB, VERIFY_JOB_KIND);
  const anonymity = new AnonymityService(db, resources, datasets);
  const discovery = new DiscoveryService(db, resources, datasets, jobs);
  // Open data is built before the return so error reports on it can look its releases up (LIF-9).
  const openData = new OpenDataService(db, resources, datasets, masking, anonymity, discovery, kekProvider);
  const auth = new AuthService(db, settings, kekProvider);
  // Share requests, agreements and the authority's overview (LIF-4): the chain, SM2 signing after re-authentication.
  const shareRequests = new ShareRequestsService(db, resources, workdays);
  const shareAgreements = new ShareAgreementsService(db, shareRequests, resources, auth, new SigningKeys(kekProvider));
  return {
    db,
    settings,
    auth,
    institutions: new InstitutionsService(db),
    users: new UsersService(db, settings),
    audit,
    auditLog,
    auditIntegrity,
    workdays,
    // Catalog: the services it depends on are passed in (modules talk through services, not tables).
    scheme,
    systems,
    resources,
    grading: new GradingService(db, scheme),
    catalogIo: new CatalogIoService(db, systems, scheme),
    // Protection (issue 5): keys under the KEK, over the catalog's resources.
    keys,
    datasets,
    // Table pulls connect only to database servers on the allow-list (数据汇聚白名单, setting data_pull_hosts).
    pullGuard: new PullGuard(db, resources, settings),
    masking,
    deliveries: new DeliveriesService(db, resources, datasets, masking, kekProvider),
    anonymity,
    // Background jobs: the queue; `shuan serve` runs the worker (modules/jobs/job-runner.ts).
    jobs,
    discovery,
    // Open data (LIF-7, GZ-17): releases checked against the grade, discovery and k-anonymity; the public portal.
    openData,
    // Audit reports (AUD-4, AUD-5; each verifies the chain over its period) and the life-cycle trace (AUD-6).
    auditReports: new AuditReportsService(db, auditIntegrity),
    auditTrace: new AuditTraceService(db, resources, datasets),
    // Alerts (AUD-3): the processor over the chained log (`shuan serve` starts it) and the queue/rules service.
    alertsProcessor,
    alerts: new AlertsService(db, alertsProcessor, workdays),
    shareRequests,
    shareAgreements,
    sharingOverview: new SharingOverviewService(db, shareRequests),
    // Deletion duties (LIF-10, DG-12), error reports (LIF-9, DG-11), and the grant-expiry sweeper `shuan serve` runs.
    deletionDuties: new DeletionDutiesService(db, workdays),
    errorReports: new ErrorReportsService(db, resources, workdays, kekProvider, () => openData),
    sharingSweeper: new SharingSweeper(db, workdays),
    // Grants and their client credentials; the data-service gateway (LIF-3, LIF-5, LIF-6, PRT-8, PRT-9).
    shareGrants: new ShareGrantsService(db, workdays, kekProvider),
    gateway: new GatewayService(db, resources, datasets, masking, kekProvider, auditLog),
  };
}
export type Services = ReturnType<typeof createServices>;
