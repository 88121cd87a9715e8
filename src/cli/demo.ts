// The demo city: institutions and accounts (one transaction), then its catalog through the services.
import { createServices } from '../app/services.ts';
import type { Db } from '../db/database.ts';
import { seedDemoCatalog } from '../modules/catalog/catalog-demo.ts';
import { type DemoCredentials, seedDemoCity } from '../modules/org/demo-seed.ts';

export async function seedDemo(db: Db): Promise<DemoCredentials[]> {
  const creds = await seedDemoCity(db);
  await seedDemoCatalog(createServices(db));
  return creds;
}
