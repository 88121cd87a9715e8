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

// AUD-2: the chain over audit_events (migration 0007).
export interface AuditPendingTable {
  seq: number;
  event_id: string;
}

export interface AuditChainTable {
  position: number;
  event_id: string;
  hash: Buffer;
  mac: Buffer | null;
  sealed_at: CreatedAt;
}

export interface AuditCheckpointsTable {
  position: number;
  head_hash: Buffer;
  signed_at: Date;
  key_version: number;
  signature: Buffer;
}

export interface AuditArchivesTable {
  id: string;
  first_position: number;
  last_position: number;
  last_hash: Buffer;
  before: Date;
  events: number;
  bundle_sm3: Buffer;
  file_name: string;
  key_version: number;
  signature: Buffer;
  created_by: string | null;
  created_at: CreatedAt;
}

// AUD-3: alert rules, alerts and stream cursors (migration 0008).
export interface AuditAlertRulesTable {
  rule: string;
  enabled: boolean;
  severity: string;
  params: Json<Record<string, unknown>>;
  updated_by: string | null;
  updated_at: CreatedAt;
}

export interface AuditAlertsTable {
  id: string;
  rule: string;
  dedupe_key: string;
  severity: string;
  status: string;
  institution_id: string | null;
  owner_user_id: string | null;
  subject_user_id: string | null;
  subject_username: string | null;
  summary_zh: string;
  summary_en: string;
  details: Json<Record<string, unknown>>;
  event_ids: string[];
  first_event_at: Date;
  last_event_at: Date;
  created_at: CreatedAt;
  due_at: Date;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  closed_by: string | null;
  closed_at: Date | null;
  resolution: string | null;
}

export interface AuditStreamCursorsTable {
  name: string;
  position: number;
  updated_at: CreatedAt;
}

// AUD-4, AUD-5: archived audit reports and their vendor activity reviews (migration 0009).
export interface AuditReportsTable {
  id: string;
  institution_id: string;
  period_from: Date;
  period_to: Date;
  generated_by: string | null;
  generated_at: CreatedAt;
  summary: Json<Record<string, unknown>>;
  file_name: string;
  xlsx: Buffer;
  xlsx_sm3: string;
}

export interface AuditVendorReviewsTable {
  id: string;
  report_id: string;
  institution_id: string;
  conclusion: 'satisfactory' | 'issues_found';
  findings: string | null;
  reviewed_by: string | null;
  reviewed_at: CreatedAt;
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

// 0002_catalog: grading scheme, systems registry, catalog, grading history.

export interface GradingSchemesTable {
  id: string;
  version: number;
  status: string;
  name: string;
  categories: Json<unknown>;
  levels: Json<unknown>;
  matrix: Json<unknown>;
  controls: Json<unknown>;
  notes: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  published_by: string | null;
  published_at: NullableTimestamp;
}

export interface SystemsTable {
  id: string;
  institution_id: string;
  name: string;
  description: string | null;
  status: string;
  security_lead: Json<unknown> | null;
  security_measures: string | null;
  assessment_result: string | null;
  assessment_on: string | null;
  audit_conclusion: string | null;
  mlps_level: number | null;
  mlps_filing_no: string | null;
  mlps_evaluated_on: string | null;
  crypto_status: Generated<string>;
  crypto_assessed_on: string | null;
  cii: Generated<boolean>;
  hosting: string | null;
  trusted_terminals: Json<unknown>;
  storage_carriers: Json<unknown>;
  last_vuln_scan_on: string | null;
  closed_on: string | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SystemFilingsTable {
  id: string;
  system_id: string;
  institution_id: string;
  version: number;
  kind: string;
  event_date: string;
  deadline: string;
  late: boolean;
  summary: string | null;
  snapshot: Json<unknown>;
  filed_by: string | null;
  filed_at: CreatedAt;
  review_status: Generated<string>;
  reviewed_by: string | null;
  reviewed_at: NullableTimestamp;
  review_reason: string | null;
}

export interface AssetChecksTable {
  id: string;
  institution_id: string;
  checked_by: string | null;
  checked_on: string;
  scope: string | null;
  notes: string | null;
  created_at: CreatedAt;
}

export interface AssetCheckFindingsTable {
  id: string;
  check_id: string;
  institution_id: string;
  system_id: string | null;
  description: string;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
  resolution: string | null;
}

export interface DataResourcesTable {
  id: string;
  institution_id: string;
  system_id: string;
  name: string;
  description: string | null;
  update_frequency: string | null;
  record_count: number | null;
  share_attribute: string;
  share_basis: string | null;
  open_attribute: string;
  open_basis: string | null;
  retention_months: number | null;
  collection: Json<unknown>;
  pi_records: number | null;
  pi_people: number | null;
  pi_sensitive: Generated<boolean>;
  pi_source: string | null;
  published: Generated<boolean>;
  categories: Generated<string[]>;
  level: string | null;
  grading_status: Generated<string>;
  version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DataFieldsTable {
  id: string;
  resource_id: string;
  institution_id: string;
  position: number;
  name: string;
  data_type: string;
  description: string | null;
  category: string | null;
  level: string | null;
  pi_type: string | null;
  pi_sensitive: Generated<boolean>;
}

export interface ResourceGradingsTable {
  id: string;
  resource_id: string;
  institution_id: string;
  scheme_version: number;
  categories: string[];
  harms: Json<unknown>;
  proposed_level: string;
  chosen_level: string;
  override_reason: string | null;
  field_labels: Json<unknown>;
  status: string;
  graded_by: string | null;
  graded_at: CreatedAt;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_reason: string | null;
}

export interface DataKeysTable {
  id: string;
  resource_id: string;
  institution_id: string;
  version: number;
  status: 'active' | 'retired' | 'destroyed';
  algorithm: string;
  kek_id: string | null;
  wrapped: Buffer | null;
  created_by: string | null;
  created_at: CreatedAt;
  retired_at: NullableTimestamp;
  destroyed_by: string | null;
  destroyed_at: NullableTimestamp;
  destroy_reason: string | null;
}

export interface PlatformKeysTable {
  purpose: string;
  version: number;
  status: 'active' | 'retired';
  algorithm: string;
  public_key: string | null;
  kek_id: string;
  wrapped: Buffer;
  created_at: CreatedAt;
  retired_at: NullableTimestamp;
}

export interface DatasetsTable {
  resource_id: string;
  institution_id: string;
  key_field: string | null;
  version: Generated<number>;
  row_count: Generated<number>;
  hash_state: Json<{ sum: string; count: number }>;
  content_hash: string | null;
  layout: ColumnType<{ name: string; dataType: string; sealed: boolean; scale?: number; precision?: 'minute' | 'second' }[], string | undefined, string>;
  updated_at: Timestamp;
}

export interface DatasetVersionsTable {
  id: string;
  resource_id: string;
  institution_id: string;
  version: number;
  mode: 'replace' | 'append' | 'upsert';
  source_kind: string;
  source_name: string | null;
  rows_read: number;
  rows_added: number;
  rows_updated: number;
  rows_removed: number;
  row_count: number;
  content_hash: string;
  sealed_fields: string[];
  key_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface DatasetRowsTable {
  id: Generated<number>;
  resource_id: string;
  row_key: Buffer | null;
  row_digest: Buffer;
  clear: Json<Record<string, unknown>>;
  sealed: Buffer | null;
  key_id: string | null;
  version: number;
}

export interface MaskingPoliciesTable {
  resource_id: string;
  institution_id: string;
  targets: Json<Record<string, string>>;
  rules: Json<Record<string, Record<string, { method: string; params?: Record<string, unknown> }>>>;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface DeliveriesTable {
  id: string;
  resource_id: string;
  institution_id: string;
  recipient: string;
  purpose: string;
  scenario: 'display' | 'test' | 'sharing' | 'open';
  format: 'csv' | 'xlsx' | 'jsonl';
  dataset_version: number;
  row_count: number;
  fields: Json<Record<string, unknown>[]>;
  mark_plan: Json<Record<string, unknown>>;
  file_sm3: string;
  kek_id: string;
  mark_key: Buffer;
  mask_key: Buffer;
  created_by: string | null;
  created_at: CreatedAt;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export interface JobProgress {
  done?: number;
  total?: number | null;
  unit?: string;
  message?: string;
}
export interface JobsTable {
  id: string;
  kind: string;
  institution_id: string | null;
  resource_id: string | null;
  params: Json<Record<string, unknown>>;
  status: JobStatus;
  progress: ColumnType<JobProgress, string | undefined, string>;
  result: Json<Record<string, unknown> | null> | null;
  error: Json<{ code: string; message: string; messageEn?: string } | null> | null;
  cancel_requested: Generated<boolean>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  created_by: string | null;
  created_at: CreatedAt;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface DiscoveryRecognizersTable {
  id: Generated<boolean>;
  recognizers: Json<unknown[]>;
  version: number;
  updated_by: string | null;
  updated_at: Timestamp;
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
  grading_schemes: GradingSchemesTable;
  systems: SystemsTable;
  system_filings: SystemFilingsTable;
  asset_checks: AssetChecksTable;
  asset_check_findings: AssetCheckFindingsTable;
  data_resources: DataResourcesTable;
  data_fields: DataFieldsTable;
  resource_gradings: ResourceGradingsTable;
  data_keys: DataKeysTable;
  platform_keys: PlatformKeysTable;
  datasets: DatasetsTable;
  dataset_versions: DatasetVersionsTable;
  dataset_rows: DatasetRowsTable;
  masking_policies: MaskingPoliciesTable;
  deliveries: DeliveriesTable;
  jobs: JobsTable;
  discovery_recognizers: DiscoveryRecognizersTable;
  audit_pending: AuditPendingTable;
  audit_chain: AuditChainTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_archives: AuditArchivesTable;
  audit_alert_rules: AuditAlertRulesTable;
  audit_alerts: AuditAlertsTable;
  audit_stream_cursors: AuditStreamCursorsTable;
  audit_reports: AuditReportsTable;
  audit_vendor_reviews: AuditVendorReviewsTable;
  signing_keys: SigningKeysTable;
  share_requests: ShareRequestsTable;
  share_request_steps: ShareRequestStepsTable;
  share_request_evidence: ShareRequestEvidenceTable;
  share_association_assessments: ShareAssociationAssessmentsTable;
  share_agreements: ShareAgreementsTable;
  agreement_signatures: AgreementSignaturesTable;
  share_grants: ShareGrantsTable;
  grant_credentials: GrantCredentialsTable;
  grant_usage: GrantUsageTable;
  grant_deliveries: GrantDeliveriesTable;
  open_data_releases: OpenDataReleasesTable;
  open_data_files: OpenDataFilesTable;
  open_data_changes: OpenDataChangesTable;
  deletion_duties: DeletionDutiesTable;
  error_reports: ErrorReportsTable;
}

// Sharing (migration 0010, docs/sharing-contract.md): requests, approval steps, agreements, signatures, grants.
export interface SigningKeysTable {
  id: string;
  user_id: string;
  status: Generated<'active' | 'revoked'>;
  algorithm: Generated<string>;
  public_key: string;
  fingerprint: string;
  kek_id: string;
  wrapped: Buffer;
  created_at: CreatedAt;
  revoked_at: NullableTimestamp;
}

/** A row filter: every condition must hold (equality or membership on a field's stored value). */
export interface RowFilterCondition {
  field: string;
  op: 'eq' | 'in';
  value?: string | number | boolean;
  values?: (string | number | boolean)[];
}

export interface ShareRequestsTable {
  id: string;
  number: string;
  resource_id: string;
  provider_institution_id: string;
  applicant_institution_id: string;
  applicant_user_id: string;
  fields: Json<string[]>;
  row_filter: Json<RowFilterCondition[] | null> | null;
  purpose: string;
  purpose_code: string;
  legal_basis: string;
  scenario: string;
  method: 'interface' | 'file';
  term_start: string;
  term_end: string;
  security_measures: string;
  liability_accepted: boolean;
  rate_per_minute: number;
  rows_per_day: number;
  share_attribute: 'unconditional' | 'conditional' | 'not_shared';
  level: string | null;
  exception: Json<{ legalBasis: string; recordedBy: string; recordedAt: string } | null> | null;
  /** LIF-8 (migration 0014): the association-analysis check fixed at submission; null on older requests. */
  association: Json<ShareAssociationSnapshot | null> | null;
  status: Generated<'in_review' | 'evidence_requested' | 'approved' | 'granted' | 'rejected' | 'withdrawn'>;
  decided_at: NullableTimestamp;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ShareRequestStepsTable {
  id: string;
  request_id: string;
  seq: number;
  kind: 'provider' | 'association' | 'authority' | 'authority_second' | 'exception';
  institution_id: string;
  status: 'waiting' | 'open' | 'approved' | 'rejected' | 'cancelled';
  opened_at: NullableTimestamp;
  due_date: string | null;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  reason: string | null;
}

/** LIF-8: the stored association check of a request (engine sharing/association.ts + the applicant's declaration). */
export interface ShareAssociationSnapshot {
  flagged: boolean;
  reasons: {
    code: 'LINK_KEY' | 'QUASI_IDENTIFIERS' | 'DECLARED';
    resourceId: string | null;
    resourceName: string | null;
    via: 'grant' | 'request' | null;
    refId: string | null;
    keys: string[];
    sensitive: boolean;
  }[];
  declaration: { intended: boolean; description: string | null; selfAssessment: string | null } | null;
  checkedAt: string;
}

/** LIF-8 (HZ-23): the assessment recorded when the association step is decided. Rows are never updated. */
export interface ShareAssociationAssessmentsTable {
  id: string;
  request_id: string;
  step_id: string;
  institution_id: string;
  conclusion: 'acceptable' | 'acceptable_with_measures' | 'not_acceptable';
  risks: string;
  measures: string | null;
  assessor_kind: 'authority' | 'self' | 'third_party';
  assessor_org: string | null;
  report_file_name: string | null;
  report_file: Buffer | null;
  report_file_sm3: string | null;
  recorded_by: string;
  recorded_at: CreatedAt;
}

export interface ShareRequestEvidenceTable {
  id: string;
  request_id: string;
  asked_by: string;
  asked_at: CreatedAt;
  question: string;
  answered_by: string | null;
  answered_at: NullableTimestamp;
  answer: string | null;
  file_name: string | null;
  file: Buffer | null;
  file_sm3: string | null;
}

export interface ShareAgreementsTable {
  id: string;
  number: string;
  request_id: string;
  text: string;
  text_sm3: string;
  status: Generated<'awaiting_signatures' | 'signed'>;
  created_at: CreatedAt;
  signed_at: NullableTimestamp;
}

export interface AgreementSignaturesTable {
  id: string;
  agreement_id: string;
  party: 'applicant' | 'provider';
  institution_id: string;
  user_id: string;
  signing_key_id: string;
  public_key: string;
  signature: string;
  text_sm3: string;
  signed_at: CreatedAt;
}

export interface ShareGrantsTable {
  id: string;
  number: string;
  request_id: string;
  agreement_id: string;
  resource_id: string;
  provider_institution_id: string;
  recipient_institution_id: string;
  fields: Json<string[]>;
  row_filter: Json<RowFilterCondition[] | null> | null;
  purpose: string;
  purpose_code: string;
  scenario: string;
  method: 'interface' | 'file';
  aggregate_only: Generated<boolean>;
  min_group_size: Generated<number>;
  term_start: string;
  term_end: string;
  rate_per_minute: number;
  rows_per_day: number;
  status: Generated<'active' | 'revoked' | 'expired'>;
  status_changed_at: NullableTimestamp;
  status_changed_by: string | null;
  status_reason: string | null;
  created_at: CreatedAt;
  version: Generated<number>;
}

// Deletion duties and error reports (migration 0012; LIF-9, LIF-10, DG-11, DG-12).
export interface DeletionDutyStep {
  at: string;
  by: string | null;
  action: 'opened' | 'evidence' | 'confirmed' | 'accepted' | 'reopened';
  outcome?: 'deleted' | 'processing_stopped';
  statement?: string | null;
  reason?: string;
  dueDate?: string;
  fileName?: string;
  sm3?: string;
}

export interface DeletionDutiesTable {
  id: string;
  number: string;
  grant_id: string;
  resource_id: string;
  provider_institution_id: string;
  holder_institution_id: string;
  case_code: string;
  reason: string;
  opened_by: string | null;
  opened_at: CreatedAt;
  due_date: string;
  status: Generated<'open' | 'confirmed' | 'accepted'>;
  outcome: 'deleted' | 'processing_stopped' | null;
  statement: string | null;
  confirmed_by: string | null;
  confirmed_at: NullableTimestamp;
  evidence_name: string | null;
  evidence: Buffer | null;
  evidence_sm3: string | null;
  evidence_size: number | null;
  evidence_uploaded_by: string | null;
  evidence_uploaded_at: NullableTimestamp;
  accepted_by: string | null;
  accepted_at: NullableTimestamp;
  reopen_count: Generated<number>;
  reopened_by: string | null;
  reopened_at: NullableTimestamp;
  reopen_reason: string | null;
  history: ColumnType<DeletionDutyStep[], string | undefined, string>;
  version: Generated<number>;
}

export interface ErrorReportsTable {
  id: string;
  number: string;
  resource_id: string;
  provider_institution_id: string;
  source: 'user' | 'public';
  reporter_user_id: string | null;
  reporter_institution_id: string | null;
  release_id: string | null;
  tracking_code: string | null;
  record_key_sealed: Buffer | null;
  contact_sealed: Buffer | null;
  field: string | null;
  description: string;
  proposed_value: string | null;
  received_at: CreatedAt;
  due_date: string;
  status: Generated<'open' | 'corrected' | 'rejected'>;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
  version: Generated<number>;
}

// Open data (migration 0013; LIF-7, HZ-26, GZ-17, ZZ-23): releases, published snapshots, the public changelog.
export interface OpenDataReleasesTable {
  id: string;
  number: string;
  resource_id: string;
  institution_id: string;
  title: string;
  description: string;
  fields: Json<{ name: string; description: string | null; dataType: string }[]>;
  quasi_identifiers: Json<{ field: string; hierarchy: Record<string, unknown> }[]>;
  k: number;
  max_suppression: Generated<number>;
  licence: string;
  status: Generated<'draft' | 'submitted' | 'published' | 'rejected' | 'withdrawn'>;
  checks: Json<unknown> | null;
  checked_at: NullableTimestamp;
  checked_dataset_version: number | null;
  checks_passed: Generated<boolean>;
  confirmations: Json<unknown> | null;
  proposed_by: string;
  submitted_by: string | null;
  submitted_at: NullableTimestamp;
  reviewed_by: string | null;
  reviewed_at: NullableTimestamp;
  review_reason: string | null;
  published_at: NullableTimestamp;
  withdrawn_at: NullableTimestamp;
  current_file_id: string | null;
  downloads: ColumnType<string, never, never>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface OpenDataFilesTable {
  id: string;
  release_id: string;
  seq: number;
  csv: Buffer;
  sm3: string;
  rows: number;
  dataset_version: number;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface OpenDataChangesTable {
  id: string;
  release_id: string;
  at: CreatedAt;
  kind: 'published' | 'refreshed' | 'withdrawn';
  note: string | null;
  changed_by: string | null;
  file_id: string | null;
}

// The data-service gateway (migration 0011): client credentials, usage windows, the grant's delivery records.
export interface GrantCredentialsTable {
  id: string;
  grant_id: string;
  client_id: string;
  name: string;
  secret_mac: Buffer;
  status: Generated<'active' | 'revoked'>;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_by: string | null;
  revoked_at: NullableTimestamp;
}

export interface GrantUsageTable {
  grant_id: string;
  kind: 'minute' | 'day';
  window_start: Timestamp;
  calls: Generated<number>;
  rows: Generated<string | number>;
  reserved: Generated<string | number>;
}

export interface GrantDeliveriesTable {
  grant_id: string;
  policy_version: number;
  delivery_id: string;
  created_at: CreatedAt;
}
