// The catalog module's routes: grading scheme (CLS-1), systems registry (AST-1..3, AST-5..10),
// resources and fields (AST-4, AST-11, LIF-1), grading (CLS-2..5).
import type { Services } from '../../app/services.ts';
import type { App } from '../../app/types.ts';
import { catalogIoRoutes } from './catalog-io.routes.ts';
import { gradingRoutes } from './grading.routes.ts';
import { resourcesRoutes } from './resources.routes.ts';
import { schemeRoutes } from './scheme.routes.ts';
import { systemsRoutes } from './systems.routes.ts';

export function catalogRoutes(app: App, s: Services) {
  schemeRoutes(app, s);
  systemsRoutes(app, s);
  resourcesRoutes(app, s);
  gradingRoutes(app, s);
  catalogIoRoutes(app, s);
}
