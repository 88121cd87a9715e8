// The demo city: institutions and accounts (one transaction), then its catalog through the services.
import { createServices } from '../app/services.ts';
import type { Db } from '../db/database.ts';
import { seedDemoCatalog } from '../modules/catalog/catalog-demo.ts';
import { type DemoCredentials, seedDemoCity } from '../modules/org/demo-seed.ts';
import type { Kek } from '../modules/protection/kek.ts';
import { seedDemoSharing } from '../modules/sharing/sharing-demo.ts';

export async function seedDemo(db: Db, kek: Kek | (() => Kek)): Promise<DemoCredentials[]> {
  const creds = await seedDemoCity(db);
  const services = createServices(db, kek);
  await seedDemoCatalog(services);
  // Sharing (LIF-4): a granted request (both signatures) and one waiting for the provider.
  await seedDemoSharing(services);
  return creds;
}
