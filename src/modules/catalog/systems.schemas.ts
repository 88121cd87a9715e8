// API schemas of the systems registry (AST-1, AST-2, AST-3, AST-5..10; DG-8 登记制度). The web app imports
// these types and the label tables at the end (code English, UI Chinese: ../shared/spec/glossary.md).
import { type Static, Type } from 'typebox';
import { IsoDate, IsoDateTime, Nullable, Page, Paged, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { LEVELS } from '../../engines/grading/levels.ts';

// Text that must say something: whitespace alone (full-width U+3000 included) fails the pattern and is
// a 400 naming the field; the service stores the trimmed text.
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
const Name = Text(100);
const ShortText = Type.String({ maxLength: 100 });
const Phone = Type.String({ maxLength: 32, pattern: '^[0-9+()\\- ]*$' });
const Email = Type.String({ maxLength: 254, format: 'email' });

export const SYSTEM_STATUSES = ['draft', 'submitted', 'accepted', 'returned', 'closed'] as const;
export type SystemStatus = (typeof SYSTEM_STATUSES)[number];
/** AST-8: where processing runs. Public cloud may be recorded (the registry must say the truth) but is flagged. */
export const HOSTINGS = ['government_cloud', 'sector_cloud', 'own_machine_room', 'public_cloud'] as const;
export type Hosting = (typeof HOSTINGS)[number];
/** AST-6: commercial cryptography (密码应用) and its assessment (密评). */
export const CRYPTO_STATUSES = ['not_applied', 'applied', 'assessed'] as const;
export type CryptoStatus = (typeof CRYPTO_STATUSES)[number];
export const FILING_KINDS = ['registration', 'change', 'closure'] as const;
export type FilingKind = (typeof FILING_KINDS)[number];
export const REVIEW_STATUSES = ['pending', 'accepted', 'returned'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const CARRIER_KINDS = ['server', 'storage_array', 'database', 'object_storage', 'backup_media', 'removable_media', 'terminal', 'other'] as const;
/**
 * AST-9: a carrier's protection is stated on the data grading scale (docs/catalog-contract.md, high to low),
 * so it compares directly with the grade of the data it holds.
 */
export const PROTECTION_LEVELS = LEVELS;
/** Findings about a system computed on every read (see systems.rules.ts). */
export const SYSTEM_FLAGS = ['public_cloud', 'carrier_below_data_level', 'mlps_evaluation_overdue', 'cii_assessment_overdue'] as const;
export type SystemFlag = (typeof SYSTEM_FLAGS)[number];

export const SecurityLead = Type.Object(
  {
    name: Name,
    title: Type.Optional(ShortText),
    department: Type.Optional(ShortText),
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
  },
  { additionalProperties: false },
);
export type SecurityLead = Static<typeof SecurityLead>;

/** AST-8: a registered trusted terminal (可信终端) from which the system's data is processed. */
export const TrustedTerminal = Type.Object(
  {
    name: Name,
    identifier: Type.Optional(Type.String({ maxLength: 100, description: '资产编号、MAC 或 IP 地址' })),
    location: Type.Optional(Type.String({ maxLength: 200 })),
    holder: Type.Optional(Type.String({ maxLength: 100, description: '使用人或责任人' })),
  },
  { additionalProperties: false },
);
export type TrustedTerminal = Static<typeof TrustedTerminal>;

/** AST-9: a storage carrier (存储载体) and the data grade its protection is built for. */
export const StorageCarrier = Type.Object(
  {
    name: Name,
    kind: StrEnum(CARRIER_KINDS),
    protectionLevel: StrEnum(PROTECTION_LEVELS),
    encrypted: Type.Optional(Type.Boolean()),
    location: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type StorageCarrier = Static<typeof StorageCarrier>;

const MlpsLevel = Type.Integer({ minimum: 1, maximum: 5, description: '网络安全等级保护级别 1–5' });

// The editable DG-8 fields, each optional and (except name and the enums with defaults) clearable with null.
const editable = {
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  securityLead: Type.Optional(Nullable(SecurityLead)),
  securityMeasures: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  assessmentResult: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  assessmentOn: Type.Optional(Nullable(IsoDate)),
  auditConclusion: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  mlpsLevel: Type.Optional(Nullable(MlpsLevel)),
  mlpsFilingNo: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  mlpsEvaluatedOn: Type.Optional(Nullable(IsoDate)),
  cryptoStatus: Type.Optional(StrEnum(CRYPTO_STATUSES)),
  cryptoAssessedOn: Type.Optional(Nullable(IsoDate)),
  cii: Type.Optional(Type.Boolean()),
  hosting: Type.Optional(Nullable(StrEnum(HOSTINGS))),
  trustedTerminals: Type.Optional(Type.Array(TrustedTerminal, { maxItems: 1000 })),
  storageCarriers: Type.Optional(Type.Array(StorageCarrier, { maxItems: 200 })),
  lastVulnScanOn: Type.Optional(Nullable(IsoDate)),
};

export const SystemCreate = Type.Object({ institutionId: Uuid, name: Name, ...editable }, { additionalProperties: false });
export type SystemCreate = Static<typeof SystemCreate>;

export const SystemUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    ...editable,
    /** Optimistic concurrency: the version the editor saw. */
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type SystemUpdate = Static<typeof SystemUpdate>;

/** The DG-8 fields a change filing alters; fields left out keep their registered value. */
export const SystemChanges = Type.Object({ name: Type.Optional(Name), ...editable }, { additionalProperties: false });
export type SystemChanges = Static<typeof SystemChanges>;

const EventDate = Type.String({ format: 'date', maxLength: 10, description: '变化之日（北京时间日历日，不晚于今天）' });

export const SubmitBody = Type.Object(
  {
    /** The date the system went into operation: the DG-8 15 working days run from it. */
    eventDate: EventDate,
    summary: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type SubmitBody = Static<typeof SubmitBody>;

export const ChangeBody = Type.Object(
  {
    eventDate: EventDate,
    summary: Text(2000),
    changes: SystemChanges,
    /** Optional optimistic concurrency: the system version the change was prepared against. */
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type ChangeBody = Static<typeof ChangeBody>;

export const ClosureBody = Type.Object(
  {
    eventDate: EventDate,
    summary: Text(2000),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type ClosureBody = Static<typeof ClosureBody>;

export const ReviewBody = Type.Object(
  {
    decision: StrEnum(['accept', 'return'] as const),
    /** Required (non-blank) for a return: the institution must learn what to correct. */
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;

const PersonRef = Type.Object({ id: Uuid, displayName: Type.String() });

/** Every DG-8 field of a system as one value: the current row, and each filing's snapshot. */
const fieldProps = {
  name: Type.String(),
  description: Nullable(Type.String()),
  securityLead: Nullable(SecurityLead),
  securityMeasures: Nullable(Type.String()),
  assessmentResult: Nullable(Type.String()),
  assessmentOn: Nullable(IsoDate),
  auditConclusion: Nullable(Type.String()),
  mlpsLevel: Nullable(Type.Integer()),
  mlpsFilingNo: Nullable(Type.String()),
  mlpsEvaluatedOn: Nullable(IsoDate),
  cryptoStatus: StrEnum(CRYPTO_STATUSES),
  cryptoAssessedOn: Nullable(IsoDate),
  cii: Type.Boolean(),
  hosting: Nullable(StrEnum(HOSTINGS)),
  trustedTerminals: Type.Array(TrustedTerminal),
  storageCarriers: Type.Array(StorageCarrier),
  lastVulnScanOn: Nullable(IsoDate),
};
export const SystemFields = Type.Object(fieldProps);
export type SystemFields = Static<typeof SystemFields>;
export const EDITABLE_FIELDS = Object.keys(fieldProps) as (keyof SystemFields)[];

const ResourceRef = Type.Object({ id: Uuid, name: Type.String(), level: Nullable(Type.String()) });

/** What a filing records: the registration as filed, with the data resources it covered then (DG-8 数据资源). */
export const SystemSnapshot = Type.Object({ ...fieldProps, resources: Type.Array(ResourceRef) });
export type SystemSnapshot = Static<typeof SystemSnapshot>;

export const SystemFiling = Type.Object({
  id: Uuid,
  systemId: Uuid,
  systemName: Type.String(),
  institutionId: Uuid,
  institutionName: Type.String(),
  /** 第 N 版: the filing's place in the system's registration history (1, 2, 3, …). */
  version: Type.Integer(),
  kind: StrEnum(FILING_KINDS),
  eventDate: IsoDate,
  /** DG-8: 15 working days after eventDate. */
  deadline: IsoDate,
  /** Filed (Beijing calendar date) after the deadline. */
  late: Type.Boolean(),
  summary: Nullable(Type.String()),
  /** DG-8 fields this filing changes against the registered (or, for a resubmission, the returned) version. */
  changedFields: Type.Array(Type.String()),
  filedAt: IsoDateTime,
  filedBy: Nullable(PersonRef),
  reviewStatus: StrEnum(REVIEW_STATUSES),
  reviewedAt: Nullable(IsoDateTime),
  reviewedBy: Nullable(PersonRef),
  reviewReason: Nullable(Type.String()),
  /** The caller may decide this filing now (system.review there, pending, not filed by the caller). */
  canReview: Type.Boolean(),
});
export type SystemFiling = Static<typeof SystemFiling>;

export const SystemFilingWithSnapshot = Type.Object({ ...SystemFiling.properties, snapshot: SystemSnapshot });
export type SystemFilingWithSnapshot = Static<typeof SystemFilingWithSnapshot>;

export const SystemResource = Type.Object({
  id: Uuid,
  name: Type.String(),
  level: Nullable(Type.String()),
  gradingStatus: Type.String(),
  shareAttribute: Type.String(),
  openAttribute: Type.String(),
  published: Type.Boolean(),
});

const systemHead = {
  id: Uuid,
  institutionId: Uuid,
  institutionName: Type.String(),
  status: StrEnum(SYSTEM_STATUSES),
  closedOn: Nullable(IsoDate),
  flags: Type.Array(StrEnum(SYSTEM_FLAGS)),
  /** Number of data resources catalogued under the system. */
  resourceCount: Type.Integer(),
  latestFiling: Nullable(SystemFiling),
  /** Some filing of this system was late (AST-2). */
  hasLateFiling: Type.Boolean(),
  version: Type.Integer(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
};

export const System = Type.Object({
  ...systemHead,
  ...fieldProps,
  /** The data resources the caller may read (published ones, or all within catalog.read reach), by name. */
  resources: Type.Array(SystemResource),
});
export type System = Static<typeof System>;

export const SystemSummary = Type.Object({
  ...systemHead,
  name: Type.String(),
  hosting: Nullable(StrEnum(HOSTINGS)),
  mlpsLevel: Nullable(Type.Integer()),
  cryptoStatus: StrEnum(CRYPTO_STATUSES),
  cii: Type.Boolean(),
});
export type SystemSummary = Static<typeof SystemSummary>;

export const SystemQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      q: Type.Optional(Type.String({ maxLength: 100 })),
      institutionId: Type.Optional(Uuid),
      status: Type.Optional(StrEnum(SYSTEM_STATUSES)),
      hosting: Type.Optional(StrEnum(HOSTINGS)),
      mlpsLevel: Type.Optional(MlpsLevel),
      /** true: systems with a late filing; false: systems without one. */
      late: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
]);
export type SystemQuery = Static<typeof SystemQuery>;
export const SystemPage = Paged(SystemSummary);

export const FilingQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      reviewStatus: Type.Optional(StrEnum(REVIEW_STATUSES)),
      kind: Type.Optional(StrEnum(FILING_KINDS)),
      late: Type.Optional(Type.Boolean()),
      institutionId: Type.Optional(Uuid),
      systemId: Type.Optional(Uuid),
    },
    { additionalProperties: false },
  ),
]);
export type FilingQuery = Static<typeof FilingQuery>;
export const FilingPage = Paged(SystemFiling);

// AST-3: asset consistency checks.
export const AssetCheckCreate = Type.Object(
  {
    institutionId: Uuid,
    checkedOn: IsoDate,
    scope: Type.Optional(Type.String({ maxLength: 500 })),
    notes: Type.Optional(Type.String({ maxLength: 4000 })),
    /** Each difference between the registry and reality; none is a valid result (the check is still recorded). */
    findings: Type.Array(
      Type.Object(
        {
          systemId: Type.Optional(Uuid),
          description: Text(2000),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type AssetCheckCreate = Static<typeof AssetCheckCreate>;

export const FindingResolve = Type.Object({ resolution: Text(2000) }, { additionalProperties: false });
export type FindingResolve = Static<typeof FindingResolve>;

export const AssetCheckFinding = Type.Object({
  id: Uuid,
  systemId: Nullable(Uuid),
  systemName: Nullable(Type.String()),
  description: Type.String(),
  resolved: Type.Boolean(),
  resolvedAt: Nullable(IsoDateTime),
  resolvedBy: Nullable(PersonRef),
  resolution: Nullable(Type.String()),
});

export const AssetCheck = Type.Object({
  id: Uuid,
  institutionId: Uuid,
  institutionName: Type.String(),
  checkedOn: IsoDate,
  checkedBy: Nullable(PersonRef),
  scope: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  findings: Type.Array(AssetCheckFinding),
  openFindings: Type.Integer(),
  createdAt: IsoDateTime,
});
export type AssetCheck = Static<typeof AssetCheck>;

export const AssetCheckQuery = Type.Intersect([
  Page,
  Type.Object(
    {
      institutionId: Type.Optional(Uuid),
      /** true: checks with a finding still open; false: checks with every finding resolved. */
      unresolved: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
]);
export type AssetCheckQuery = Static<typeof AssetCheckQuery>;
export const AssetCheckPage = Paged(AssetCheck);

export const SystemIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const FindingParams = Type.Object({ id: Uuid, findingId: Uuid }, { additionalProperties: false });

// UI labels (zh first), shared with the web app.
type Labels<K extends string> = Record<K, { zh: string; en: string }>;
export const SYSTEM_STATUS_LABELS: Labels<SystemStatus> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已报送', en: 'Submitted' },
  accepted: { zh: '已受理', en: 'Accepted' },
  returned: { zh: '已退回', en: 'Returned' },
  closed: { zh: '已注销', en: 'Closed' },
};
export const HOSTING_LABELS: Labels<Hosting> = {
  government_cloud: { zh: '政务云', en: 'Government cloud' },
  sector_cloud: { zh: '行业云', en: 'Sector cloud' },
  own_machine_room: { zh: '自建机房', en: 'Own machine room' },
  public_cloud: { zh: '公有云', en: 'Public cloud' },
};
export const CRYPTO_STATUS_LABELS: Labels<CryptoStatus> = {
  not_applied: { zh: '未应用商用密码', en: 'Not applied' },
  applied: { zh: '已应用，未密评', en: 'Applied, not assessed' },
  assessed: { zh: '已通过密评', en: 'Assessed' },
};
export const FILING_KIND_LABELS: Labels<FilingKind> = {
  registration: { zh: '登记', en: 'Registration' },
  change: { zh: '变更', en: 'Change' },
  closure: { zh: '注销', en: 'Closure' },
};
export const REVIEW_STATUS_LABELS: Labels<ReviewStatus> = {
  pending: { zh: '待受理', en: 'Pending' },
  accepted: { zh: '已受理', en: 'Accepted' },
  returned: { zh: '已退回', en: 'Returned' },
};
export const CARRIER_KIND_LABELS: Labels<(typeof CARRIER_KINDS)[number]> = {
  server: { zh: '服务器本地存储', en: 'Server storage' },
  storage_array: { zh: '存储阵列', en: 'Storage array' },
  database: { zh: '数据库', en: 'Database' },
  object_storage: { zh: '对象存储', en: 'Object storage' },
  backup_media: { zh: '备份介质', en: 'Backup media' },
  removable_media: { zh: '移动存储介质', en: 'Removable media' },
  terminal: { zh: '终端', en: 'Terminal' },
  other: { zh: '其他', en: 'Other' },
};
export const SYSTEM_FLAG_LABELS: Labels<SystemFlag> = {
  public_cloud: { zh: '部署在公有云（AST-8）', en: 'Runs on a public cloud (AST-8)' },
  carrier_below_data_level: { zh: '存储载体防护级别低于数据级别（AST-9）', en: 'A storage carrier is protected below its data’s level (AST-9)' },
  mlps_evaluation_overdue: { zh: '三级及以上系统超过 12 个月未开展等保测评（AST-5）', en: 'MLPS level 3+ without an evaluation in 12 months (AST-5)' },
  cii_assessment_overdue: { zh: '关键信息基础设施超过 12 个月未开展安全评估（AST-7）', en: 'CII without a security assessment in 12 months (AST-7)' },
};

/** DG-8 fields by their UI names, for messages that name what is missing or wrong. */
export const SYSTEM_FIELD_LABELS: Record<string, { zh: string; en: string }> = {
  name: { zh: '系统名称', en: 'name' },
  securityLead: { zh: '数据安全负责人', en: 'security lead' },
  securityMeasures: { zh: '安全保护措施', en: 'security measures' },
  assessmentResult: { zh: '最近一次风险评估结果', en: 'latest assessment result' },
  assessmentOn: { zh: '风险评估日期', en: 'assessment date' },
  auditConclusion: { zh: '审计结论', en: 'audit conclusion' },
  mlpsLevel: { zh: '等级保护级别', en: 'MLPS level' },
  mlpsFilingNo: { zh: '等保备案编号', en: 'MLPS filing number' },
  mlpsEvaluatedOn: { zh: '最近等保测评日期', en: 'last MLPS evaluation date' },
  cryptoStatus: { zh: '商用密码应用情况', en: 'crypto application status' },
  cryptoAssessedOn: { zh: '最近密评日期', en: 'last crypto assessment date' },
  hosting: { zh: '部署方式', en: 'hosting' },
  lastVulnScanOn: { zh: '最近漏洞扫描日期', en: 'last vulnerability scan' },
};
