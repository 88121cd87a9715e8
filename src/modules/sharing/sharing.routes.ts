// Sharing routes (issue 7, docs/sharing-contract.md): each part registers its own routes here.
import type { Services } from '../../app/services.ts';
import type { App } from '../../app/types.ts';

export function sharingRoutes(app: App, services: Services): void {
  void app;
  void services;
}
