// The Database type: one interface per table, as the migrations create them.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

export interface InstitutionsTable {
  id: string;
  parent_id: string | null;
  kind: string;
  name: string;
  short_name: string | null;
  code: string | null;
  admin_level: string | null;
  sector: string;
  status: Generated<string>;
  profile: Json<Record<string, unknown>>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  institution_id: string;
  email: string | null;
  phone: string | null;
  status: Generated<string>;
  password_hash: string;
  password_changed_at: Timestamp;
  must_change_password: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: NullableTimestamp;
  totp_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  totp_last_step: number | null;
  last_login_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PasswordHistoryTable {
  id: string;
  user_id: string;
  password_hash: string;
  created_at: CreatedAt;
}

export interface RoleAssignmentsTable {
  id: string;
  user_id: string;
  role: string;
  institution_id: string;
  granted_by: string | null;
  created_at: CreatedAt;
}

export interface RegulatorReadGrantsTable {
  id: string;
  regulator_id: string;
  institution_id: string;
  note: string | null;
  granted_by: string | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ended_at: NullableTimestamp;
  end_reason: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  scopes: string[];
  expires_at: Timestamp;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  id: string;
  occurred_at: CreatedAt;
  actor_user_id: string | null;
  actor_username: string | null;
  acting_institution_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_institution_id: string | null;
  outcome: string;
  ip: string | null;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface WorkdaySchedulesTable {
  year: number;
  holidays: string[];
  makeup_workdays: string[];
  loaded_by: string | null;
  loaded_at: Timestamp;
}

export interface Database {
  institutions: InstitutionsTable;
  users: UsersTable;
  password_history: PasswordHistoryTable;
  role_assignments: RoleAssignmentsTable;
  regulator_read_grants: RegulatorReadGrantsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  settings: SettingsTable;
  workday_schedules: WorkdaySchedulesTable;
}
