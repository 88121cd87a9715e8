// The service container: one instance of each service per app, sharing one database handle.
import type { Db } from '../db/database.ts';
import { AuditService } from '../modules/audit/audit.service.ts';
import { AuthService } from '../modules/auth/auth.service.ts';
import { InstitutionsService } from '../modules/org/institutions.service.ts';
import { UsersService } from '../modules/org/users.service.ts';
import { SettingsService } from '../modules/settings/settings.service.ts';
import { WorkdaysService } from '../modules/workdays/workdays.service.ts';

export function createServices(db: Db) {
  const settings = new SettingsService(db);
  return {
    db,
    settings,
    auth: new AuthService(db, settings),
    institutions: new InstitutionsService(db),
    users: new UsersService(db, settings),
    audit: new AuditService(db),
    workdays: new WorkdaysService(db),
  };
}
export type Services = ReturnType<typeof createServices>;
