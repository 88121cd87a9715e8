// Shared pieces of the catalog pages (系统登记, 数据资源目录, 分类分级): enumerations with their labels and
// colours, tags, the published scheme and its category tree, the controls card, and the system picker.
import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Descriptions, Select, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import {
  FIELD_DATA_TYPE_LABELS,
  FIELD_DATA_TYPES,
  PI_SOURCE_LABELS,
  PI_TYPE_LABELS,
  PI_TYPES,
  UPDATE_FREQUENCIES,
  UPDATE_FREQUENCY_LABELS,
} from '../../../src/modules/catalog/catalog.constants.ts';
import { GRADING_STATUSES, HARM_DEGREES, HARM_OBJECTS, LEVEL_COLORS, LEVELS, MASKING_MODES, MASKING_SCENARIOS } from '../../../src/modules/catalog/levels.ts';
import { ApiError, api } from '../api.ts';
import { type MessageKey, type TFunction, useI18n, useT } from '../i18n.tsx';
import type {
  CarrierKind,
  CategoryNode,
  Controls,
  CryptoStatus,
  FilingKind,
  GradingStatus,
  HarmDegree,
  HarmObject,
  Hosting,
  LevelCode,
  MaskingMode,
  MaskingScenario,
  OpenAttribute,
  Paged,
  ReviewStatus,
  Scheme,
  ShareAttribute,
  SystemFields,
  SystemFlag,
  SystemStatus,
  SystemSummary,
} from '../types.ts';

export { FIELD_DATA_TYPES, GRADING_STATUSES, HARM_DEGREES, HARM_OBJECTS, LEVELS, MASKING_MODES, MASKING_SCENARIOS, PI_TYPES, UPDATE_FREQUENCIES };

// ---------------------------------------------------------------------------------------------------
// Enumerations (contract order) and their message keys

export const LEVEL_LABEL: Record<LevelCode, MessageKey> = {
  core: 'level.core',
  important: 'level.important',
  'general-4': 'level.general-4',
  'general-3': 'level.general-3',
  'general-2': 'level.general-2',
  'general-1': 'level.general-1',
};
/** Chart colours per level, matching the server's tag colours (LEVEL_COLORS: red … default). */
export const LEVEL_CHART_COLOR: Record<LevelCode, string> = {
  core: '#f5222d',
  important: '#fa541c',
  'general-4': '#fa8c16',
  'general-3': '#faad14',
  'general-2': '#1677ff',
  'general-1': '#8c8c8c',
};
export const isLevel = (v: unknown): v is LevelCode => typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
export const levelRank = (l: LevelCode | null | undefined): number => (l ? LEVELS.length - LEVELS.indexOf(l) : 0);
/** The higher of two levels (就高从严). */
export const maxLevel = (a: LevelCode | null | undefined, b: LevelCode | null | undefined): LevelCode | null => (levelRank(a) >= levelRank(b) ? a : b) ?? null;

export const HARM_OBJECT_LABEL: Record<HarmObject, MessageKey> = {
  national_security: 'harm.national_security',
  economy: 'harm.economy',
  social_order: 'harm.social_order',
  public_interest: 'harm.public_interest',
  organization: 'harm.organization',
  individual: 'harm.individual',
};
export const HARM_DEGREE_LABEL: Record<HarmDegree, MessageKey> = {
  especially_serious: 'degree.especially_serious',
  serious: 'degree.serious',
  ordinary: 'degree.ordinary',
};

export const SYSTEM_STATUSES: readonly SystemStatus[] = ['draft', 'submitted', 'accepted', 'returned', 'closed'];
export const SYSTEM_STATUS_LABEL: Record<SystemStatus, MessageKey> = {
  draft: 'system.status.draft',
  submitted: 'system.status.submitted',
  accepted: 'system.status.accepted',
  returned: 'system.status.returned',
  closed: 'system.status.closed',
};
const SYSTEM_STATUS_COLOR: Record<SystemStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  accepted: 'success',
  returned: 'warning',
  closed: 'default',
};
export const HOSTING_LABEL: Record<Hosting, MessageKey> = {
  government_cloud: 'hosting.government_cloud',
  sector_cloud: 'hosting.sector_cloud',
  own_machine_room: 'hosting.own_machine_room',
  public_cloud: 'hosting.public_cloud',
};
export const HOSTINGS = Object.keys(HOSTING_LABEL) as Hosting[];
export const CRYPTO_STATUS_LABEL: Record<CryptoStatus, MessageKey> = {
  not_applied: 'crypto.not_applied',
  applied: 'crypto.applied',
  assessed: 'crypto.assessed',
};
export const CRYPTO_STATUSES = Object.keys(CRYPTO_STATUS_LABEL) as CryptoStatus[];
export const CARRIER_KIND_LABEL: Record<CarrierKind, MessageKey> = {
  server: 'carrier.server',
  storage_array: 'carrier.storage_array',
  database: 'carrier.database',
  object_storage: 'carrier.object_storage',
  backup_media: 'carrier.backup_media',
  removable_media: 'carrier.removable_media',
  terminal: 'carrier.terminal',
  other: 'carrier.other',
};
export const CARRIER_KINDS = Object.keys(CARRIER_KIND_LABEL) as CarrierKind[];
export const MLPS_LEVELS = [1, 2, 3, 4, 5] as const;
export const SYSTEM_FLAG_LABEL: Record<SystemFlag, MessageKey> = {
  public_cloud: 'system.flag.public_cloud',
  carrier_below_data_level: 'system.flag.carrier_below_data_level',
  mlps_evaluation_overdue: 'system.flag.mlps_evaluation_overdue',
  cii_assessment_overdue: 'system.flag.cii_assessment_overdue',
};
/** The DG-8 fields by name (a filing's changed fields, a REGISTRATION_INCOMPLETE answer's missing ones). */
export const SYSTEM_FIELD_LABEL: Record<keyof SystemFields, MessageKey> = {
  name: 'system.name',
  description: 'system.description',
  securityLead: 'system.securityLead',
  securityMeasures: 'system.securityMeasures',
  assessmentResult: 'system.assessmentResult',
  assessmentOn: 'system.assessmentOn',
  auditConclusion: 'system.auditConclusion',
  mlpsLevel: 'system.mlpsLevel',
  mlpsFilingNo: 'system.mlpsFilingNo',
  mlpsEvaluatedOn: 'system.mlpsEvaluatedOn',
  cryptoStatus: 'system.cryptoStatus',
  cryptoAssessedOn: 'system.cryptoAssessedOn',
  cii: 'system.cii',
  hosting: 'system.hosting',
  trustedTerminals: 'system.trustedTerminals',
  storageCarriers: 'system.section.storage',
  lastVulnScanOn: 'system.lastVulnScanOn',
};
export function systemFieldLabel(t: TFunction, field: string): string {
  const key = SYSTEM_FIELD_LABEL[field as keyof SystemFields];
  return key ? t(key) : field;
}
/** What submitting a registration needs besides the name (the server's missingForFiling). */
export const FILING_REQUIRED: readonly (keyof SystemFields)[] = [
  'securityLead',
  'securityMeasures',
  'assessmentResult',
  'auditConclusion',
  'mlpsLevel',
  'hosting',
];

export const FILING_KIND_LABEL: Record<FilingKind, MessageKey> = {
  registration: 'filing.kind.registration',
  change: 'filing.kind.change',
  closure: 'filing.kind.closure',
};
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['pending', 'accepted', 'returned'];
export const REVIEW_STATUS_LABEL: Record<ReviewStatus, MessageKey> = {
  pending: 'review.pending',
  accepted: 'review.accepted',
  returned: 'review.returned',
};
const REVIEW_STATUS_COLOR: Record<ReviewStatus, string> = { pending: 'processing', accepted: 'success', returned: 'warning' };

export const SHARE_ATTRIBUTES: readonly ShareAttribute[] = ['unconditional', 'conditional', 'not_shared'];
export const SHARE_LABEL: Record<ShareAttribute, MessageKey> = {
  unconditional: 'share.unconditional',
  conditional: 'share.conditional',
  not_shared: 'share.not_shared',
};
const SHARE_COLOR: Record<ShareAttribute, string> = { unconditional: 'green', conditional: 'gold', not_shared: 'default' };
export const OPEN_ATTRIBUTES: readonly OpenAttribute[] = ['open', 'conditional', 'not_open'];
export const OPEN_LABEL: Record<OpenAttribute, MessageKey> = {
  open: 'open.open',
  conditional: 'open.conditional',
  not_open: 'open.not_open',
};
export const GRADING_STATUS_LABEL: Record<GradingStatus, MessageKey> = {
  ungraded: 'gradingStatus.ungraded',
  pending: 'gradingStatus.pending',
  approved: 'gradingStatus.approved',
  rejected: 'gradingStatus.rejected',
};
const GRADING_STATUS_COLOR: Record<GradingStatus, string> = { ungraded: 'default', pending: 'processing', approved: 'success', rejected: 'error' };

export const MASKING_LABEL: Record<MaskingMode, MessageKey> = {
  none: 'masking.none',
  partial: 'masking.partial',
  pseudonymize: 'masking.pseudonymize',
  suppress: 'masking.suppress',
  forbidden: 'masking.forbidden',
};
export const SCENARIO_LABEL: Record<MaskingScenario, MessageKey> = {
  display: 'scenario.display',
  devTest: 'scenario.devTest',
  sharing: 'scenario.sharing',
  openData: 'scenario.openData',
};
export const APPROVAL_LABEL: MessageKey[] = ['approvals.0', 'approvals.1', 'approvals.2', 'approvals.3'];

/** Labels the server's constant files carry ({ zh, en }): PI types, data types, frequencies, carriers. */
export function useCatalogLabels() {
  const { pick } = useI18n();
  return {
    piType: (c: string | null | undefined) => (c ? pick(PI_TYPE_LABELS[c as keyof typeof PI_TYPE_LABELS], c) : '—'),
    piSensitiveDefault: (c: string | null | undefined) => (c ? (PI_TYPE_LABELS[c as keyof typeof PI_TYPE_LABELS]?.sensitive ?? false) : false),
    dataType: (c: string | null | undefined) => (c ? pick(FIELD_DATA_TYPE_LABELS[c as keyof typeof FIELD_DATA_TYPE_LABELS], c) : '—'),
    frequency: (c: string | null | undefined) => (c ? pick(UPDATE_FREQUENCY_LABELS[c as keyof typeof UPDATE_FREQUENCY_LABELS], c) : '—'),
    piSource: (c: string | null | undefined) => (c ? pick(PI_SOURCE_LABELS[c as keyof typeof PI_SOURCE_LABELS], c) : '—'),
  };
}

/** Select options from an enumeration and its label map. */
export function optionsOf<T extends string>(values: readonly T[], labels: Record<T, MessageKey>, t: TFunction) {
  return values.map((v) => ({ value: v, label: t(labels[v]) }));
}

// ---------------------------------------------------------------------------------------------------
// Tags

/** A level as a coloured tag; the API gives levels as strings, so an unknown code shows as itself. */
export function LevelTag({ level, testId = 'level-tag' }: { level: LevelCode | string | null | undefined; testId?: string }) {
  const t = useT();
  if (!level) {
    return (
      <Tag data-testid={testId} data-level="">
        {t('level.none')}
      </Tag>
    );
  }
  return (
    <Tag color={isLevel(level) ? LEVEL_COLORS[level] : 'default'} data-testid={testId} data-level={level} style={{ marginInlineEnd: 4 }}>
      {isLevel(level) ? t(LEVEL_LABEL[level]) : level}
    </Tag>
  );
}

export function SystemStatusTag({ status }: { status: SystemStatus }) {
  const t = useT();
  return (
    <Tag color={SYSTEM_STATUS_COLOR[status]} data-testid="system-status" data-status={status}>
      {t(SYSTEM_STATUS_LABEL[status])}
    </Tag>
  );
}

export function ReviewTag({ status }: { status: ReviewStatus | null | undefined }) {
  const t = useT();
  if (!status) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tag color={REVIEW_STATUS_COLOR[status]} data-testid="review-status" data-status={status}>
      {t(REVIEW_STATUS_LABEL[status])}
    </Tag>
  );
}

/** The red 逾期 mark of a filing made after its DG-8 deadline. */
export function LateTag({ deadline }: { deadline?: string | null }) {
  const t = useT();
  const tag = (
    <Tag color="red" data-testid="late-tag">
      {t('filing.late')}
    </Tag>
  );
  return deadline ? <Tooltip title={t('filing.lateHint', { date: deadline })}>{tag}</Tooltip> : tag;
}

export function ShareTag({ value }: { value: ShareAttribute }) {
  const t = useT();
  return <Tag color={SHARE_COLOR[value]}>{t(SHARE_LABEL[value])}</Tag>;
}

export function GradingStatusTag({ status }: { status: GradingStatus }) {
  const t = useT();
  return (
    <Tag color={GRADING_STATUS_COLOR[status]} data-testid="grading-status" data-status={status}>
      {t(GRADING_STATUS_LABEL[status])}
    </Tag>
  );
}

export function YesNo({ value }: { value: boolean | null | undefined }) {
  const t = useT();
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return value ? (
    <span>
      <CheckCircleTwoTone twoToneColor="#52c41a" /> {t('common.yes')}
    </span>
  ) : (
    <span>
      <CloseCircleTwoTone twoToneColor="#bfbfbf" /> {t('common.no')}
    </span>
  );
}

// ---------------------------------------------------------------------------------------------------
// The published scheme and its categories

export const SCHEME_KEY = ['grading', 'scheme'] as const;

/** The published scheme; `null` when none is published yet (404). */
export function usePublishedScheme() {
  return useQuery({
    queryKey: SCHEME_KEY,
    queryFn: async () => {
      try {
        return await api.get<Scheme>('/api/grading/scheme');
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** code → "parent / child" path names over a category tree. */
export function categoryPaths(tree: CategoryNode[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (nodes: CategoryNode[], prefix: string) => {
    for (const n of nodes) {
      const path = prefix ? `${prefix} / ${n.name}` : n.name;
      out.set(n.code, path);
      if (n.children?.length) walk(n.children, path);
    }
  };
  walk(tree ?? [], '');
  return out;
}

interface CatTreeData {
  value: string;
  title: string;
  label: string;
  children: CatTreeData[];
}
function toTreeData(nodes: CategoryNode[]): CatTreeData[] {
  return nodes.map((n) => ({ value: n.code, title: `${n.name}（${n.code}）`, label: n.name, children: toTreeData(n.children ?? []) }));
}

/** TreeSelect over the scheme's categories (single or multiple). */
export function CategoryTreeSelect({
  tree,
  value,
  onChange,
  multiple,
  testId,
  placeholder,
  style,
  id,
}: {
  tree: CategoryNode[];
  value?: string | string[] | null;
  onChange?: (v: string | string[] | undefined) => void;
  multiple?: boolean;
  testId?: string;
  placeholder?: string;
  style?: React.CSSProperties;
  id?: string;
}) {
  const t = useT();
  const data = useMemo(() => toTreeData(tree), [tree]);
  return (
    <TreeSelect
      id={id}
      data-testid={testId}
      style={{ minWidth: 200, ...style }}
      treeData={data}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v as string | string[] | undefined)}
      multiple={multiple}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll
      placeholder={placeholder ?? t('grading.pickCategory')}
      popupMatchSelectWidth={false}
    />
  );
}

// ---------------------------------------------------------------------------------------------------
// Controls (CLS-5)

export function ControlsView({ controls, testId = 'controls-card' }: { controls: Controls; testId?: string }) {
  const t = useT();
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid={testId}>
      <Descriptions.Item label={t('controls.encryptAtRest')}>
        <span data-testid="control-encrypt">
          <YesNo value={controls.encryptAtRest} />
          {controls.encryptAtRest && <Typography.Text type="secondary">{`（${t('controls.sm4')}）`}</Typography.Text>}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('controls.sharingApprovals')}>
        <span data-testid="control-approvals">{t(APPROVAL_LABEL[controls.sharingApprovals] ?? 'approvals.3')}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('controls.masking')} span={2}>
        <span data-testid="control-masking">
          {MASKING_SCENARIOS.map((s) => (
            <Tag key={s} color={controls.masking[s] === 'none' ? 'default' : controls.masking[s] === 'forbidden' ? 'red' : 'blue'}>
              {t(SCENARIO_LABEL[s])}
              {t('common.colon')}
              {t(MASKING_LABEL[controls.masking[s]] ?? 'masking.none')}
            </Tag>
          ))}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('controls.watermark')}>
        <YesNo value={controls.watermark} />
      </Descriptions.Item>
      <Descriptions.Item label={t('controls.logRetentionMonths')}>
        <span data-testid="control-log-retention">{t('controls.months', { n: controls.logRetentionMonths })}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('controls.openAllowed')}>
        <YesNo value={controls.openAllowed} />
      </Descriptions.Item>
      <Descriptions.Item label={t('controls.aggregateOnly')}>
        <YesNo value={controls.aggregateOnly} />
      </Descriptions.Item>
    </Descriptions>
  );
}

// ---------------------------------------------------------------------------------------------------
// System picker (server-side search over GET /api/systems)

export function SystemSelect({
  value,
  onChange,
  institutionId,
  testId,
  placeholder,
  style,
  id,
  allowClear = true,
}: {
  value?: string;
  onChange?: (v: string | undefined, system?: SystemSummary) => void;
  institutionId?: string;
  testId?: string;
  placeholder?: string;
  style?: React.CSSProperties;
  id?: string;
  allowClear?: boolean;
}) {
  const t = useT();
  const [q, setQ] = useState('');
  const list = useQuery({
    queryKey: ['systems', 'pick', q, institutionId],
    queryFn: () => api.get<Paged<SystemSummary>>('/api/systems', { q: q || undefined, institutionId, page: 1, pageSize: 50 }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const items = (list.data?.items ?? []).filter((s) => s.status !== 'closed');
  return (
    <Select<string>
      id={id}
      data-testid={testId}
      style={{ minWidth: 240, ...style }}
      value={value}
      allowClear={allowClear}
      showSearch={{ filterOption: false, onSearch: (v) => setQ(v.trim()) }}
      loading={list.isFetching}
      placeholder={placeholder ?? t('resource.pickSystem')}
      notFoundContent={list.isError ? t('error.loadFailed') : undefined}
      onChange={(v) =>
        onChange?.(
          v,
          items.find((s) => s.id === v),
        )
      }
      options={items.map((s) => ({
        value: s.id,
        label: s.institutionName ? `${s.name}（${s.institutionName}）` : s.name,
      }))}
      popupMatchSelectWidth={false}
    />
  );
}
