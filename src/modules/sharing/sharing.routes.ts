// Sharing routes (issue 7, docs/sharing-contract.md): each part registers its own routes here.
import type { Services } from '../../app/services.ts';
import type { App } from '../../app/types.ts';
import { shareAgreementsRoutes } from './agreements.routes.ts';
import { dutiesRoutes } from './duties.routes.ts';
import { errorReportsRoutes } from './error-reports.routes.ts';
import { gatewayRoutes } from './gateway.routes.ts';
import { grantsRoutes } from './grants.routes.ts';
import { openDataRoutes } from './open-data.routes.ts';
import { sharingOverviewRoutes } from './overview.routes.ts';
import { publicOpenDataRoutes } from './public-open-data.routes.ts';
import { shareRequestsRoutes } from './requests.routes.ts';

export function sharingRoutes(app: App, services: Services): void {
  void app;
  void services;
  // Requests, approvals, agreements and signatures (LIF-4); the authority's queue, overdue list and map.
  shareRequestsRoutes(app, services);
  shareAgreementsRoutes(app, services);
  sharingOverviewRoutes(app, services);
  // Grants, client credentials and the data-service gateway (LIF-3, LIF-5, LIF-6, PRT-8, PRT-9).
  grantsRoutes(app, services);
  gatewayRoutes(app, services);
  // Deletion duties (LIF-10, DG-12) and error reports (LIF-9, DG-11).
  dutiesRoutes(app, services);
  errorReportsRoutes(app, services);
  // Open data (LIF-7): releases, checks, review; the public portal (no login).
  openDataRoutes(app, services);
  publicOpenDataRoutes(app, services);
}
