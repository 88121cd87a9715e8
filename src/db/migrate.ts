// Kysely Migrator with migrations imported statically (no directory scanning, works under tsx and tests).
import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_catalog.ts';
import * as m0003 from './migrations/0003_protection.ts';
import * as m0004 from './migrations/0004_masking_deliveries.ts';
import * as m0005 from './migrations/0005_jobs.ts';
import * as m0006 from './migrations/0006_discovery.ts';
import * as m0007 from './migrations/0007_audit_chain.ts';
import * as m0008 from './migrations/0008_audit_alerts.ts';
import * as m0009 from './migrations/0009_audit_reports.ts';
import * as m0010 from './migrations/0010_sharing.ts';
import * as m0011 from './migrations/0011_sharing_gateway.ts';
import * as m0012 from './migrations/0012_sharing_duties.ts';
import * as m0013 from './migrations/0013_open_data.ts';
import * as m0014 from './migrations/0014_sharing_association.ts';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_catalog': m0002,
  '0003_protection': m0003,
  '0004_masking_deliveries': m0004,
  '0005_jobs': m0005,
  '0006_discovery': m0006,
  '0007_audit_chain': m0007,
  '0008_audit_alerts': m0008,
  '0009_audit_reports': m0009,
  '0010_sharing': m0010,
  '0011_sharing_gateway': m0011,
  '0012_sharing_duties': m0012,
  '0013_open_data': m0013,
  '0014_sharing_association': m0014,
};

// biome-ignore lint/suspicious/noExplicitAny: migrations act on the schema as it was then, not on today's Database type
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
