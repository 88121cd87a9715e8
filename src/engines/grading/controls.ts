// CLS-5: what each level demands of the platform (encryption, masking per scenario, approval depth,
// watermarking, log retention, opening, aggregate-only use). The scheme carries one Controls per level;
// the rest of the platform reads them through SchemeService.controlsFor(level) and enforces them.
import { LEVELS, type Level } from './levels.ts';

/** Masking modes, weakest first: each is a stronger protection than the one before it. */
export const MASKING_MODES = ['none', 'partial', 'pseudonymize', 'suppress', 'forbidden'] as const;
export type MaskingMode = (typeof MASKING_MODES)[number];

export const MASKING_MODE_LABELS: Record<MaskingMode, { zh: string; en: string }> = {
  none: { zh: '不脱敏', en: 'No masking' },
  partial: { zh: '部分遮蔽', en: 'Partial masking' },
  pseudonymize: { zh: '假名化', en: 'Pseudonymise' },
  suppress: { zh: '屏蔽', en: 'Suppress' },
  forbidden: { zh: '禁止使用', en: 'Forbidden' },
};

/** Where data leaves its store: on screen, into development/test, to another institution, to the public. */
export const MASKING_SCENARIOS = ['display', 'devTest', 'sharing', 'openData'] as const;
export type MaskingScenario = (typeof MASKING_SCENARIOS)[number];

export const MASKING_SCENARIO_LABELS: Record<MaskingScenario, { zh: string; en: string }> = {
  display: { zh: '页面展示', en: 'Display' },
  devTest: { zh: '开发测试', en: 'Development and testing' },
  sharing: { zh: '共享', en: 'Sharing' },
  openData: { zh: '开放', en: 'Open data' },
};

export interface Controls {
  encryptAtRest: boolean;
  masking: Record<MaskingScenario, MaskingMode>;
  /** Approval depth for a share: 1 the provider, 2 + the authority, 3 + a second authority review; 0 none. */
  sharingApprovals: number;
  watermark: boolean;
  /** Access-log retention in months; 网络安全法 art. 21 sets six months as the floor. */
  logRetentionMonths: number;
  openAllowed: boolean;
  /** Only aggregate results leave the platform (可用不可见), never rows. */
  aggregateOnly: boolean;
}

export const MIN_LOG_RETENTION_MONTHS = 6;
export const MAX_LOG_RETENTION_MONTHS = 1200;
export const MAX_SHARING_APPROVALS = 3;

export const CONTROL_LABELS: Record<Exclude<keyof Controls, 'masking'>, { zh: string; en: string }> = {
  encryptAtRest: { zh: '存储加密', en: 'Encryption at rest' },
  sharingApprovals: { zh: '共享审批层级', en: 'Sharing approval depth' },
  watermark: { zh: '数据水印', en: 'Watermark' },
  logRetentionMonths: { zh: '日志留存（月）', en: 'Log retention (months)' },
  openAllowed: { zh: '允许开放', en: 'Open data allowed' },
  aggregateOnly: { zh: '仅限统计结果（可用不可见）', en: 'Aggregate results only' },
};

export function isMaskingMode(value: unknown): value is MaskingMode {
  return typeof value === 'string' && (MASKING_MODES as readonly string[]).includes(value);
}

export function maskingStrength(mode: MaskingMode): number {
  return MASKING_MODES.indexOf(mode);
}

/**
 * The control paths (e.g. 'masking.sharing') where `higher` — the controls of a higher level — protects
 * less than `lower`. A higher grade must never get weaker protection than a lower one (CLS-5 with
 * 就高从严): otherwise raising a resource's grade could loosen what the platform enforces.
 */
export function weakerControls(higher: Controls, lower: Controls): string[] {
  const out: string[] = [];
  // For booleans, true protects more, except openAllowed where false does.
  if (!higher.encryptAtRest && lower.encryptAtRest) out.push('encryptAtRest');
  for (const s of MASKING_SCENARIOS) {
    if (maskingStrength(higher.masking[s]) < maskingStrength(lower.masking[s])) out.push(`masking.${s}`);
  }
  if (higher.sharingApprovals < lower.sharingApprovals) out.push('sharingApprovals');
  if (!higher.watermark && lower.watermark) out.push('watermark');
  if (higher.logRetentionMonths < lower.logRetentionMonths) out.push('logRetentionMonths');
  if (higher.openAllowed && !lower.openAllowed) out.push('openAllowed');
  if (!higher.aggregateOnly && lower.aggregateOnly) out.push('aggregateOnly');
  return out;
}

/**
 * Default controls (CLS-5, DG-10, ZZ-25, ZZ-36(1)). Core and important data: encrypted, strictly masked,
 * watermarked, two or three approvals, never opened, logs kept for years; core data leaves only as
 * aggregates. General 4级/3级 (sensitive and ordinary personal data, in the usual reading of Annex H):
 * encrypted and masked when shared. General 2级/1级: lighter, openable. Log retention never goes below
 * the six-month floor.
 */
export const DEFAULT_CONTROLS: Record<Level, Controls> = {
  core: {
    encryptAtRest: true,
    masking: { display: 'suppress', devTest: 'forbidden', sharing: 'forbidden', openData: 'forbidden' },
    sharingApprovals: 3,
    watermark: true,
    logRetentionMonths: 60,
    openAllowed: false,
    aggregateOnly: true,
  },
  important: {
    encryptAtRest: true,
    masking: { display: 'partial', devTest: 'forbidden', sharing: 'pseudonymize', openData: 'forbidden' },
    sharingApprovals: 2,
    watermark: true,
    logRetentionMonths: 36,
    openAllowed: false,
    aggregateOnly: false,
  },
  'general-4': {
    encryptAtRest: true,
    masking: { display: 'partial', devTest: 'pseudonymize', sharing: 'pseudonymize', openData: 'forbidden' },
    sharingApprovals: 2,
    watermark: true,
    logRetentionMonths: 24,
    openAllowed: false,
    aggregateOnly: false,
  },
  'general-3': {
    encryptAtRest: true,
    masking: { display: 'partial', devTest: 'pseudonymize', sharing: 'partial', openData: 'forbidden' },
    sharingApprovals: 1,
    watermark: false,
    logRetentionMonths: 12,
    openAllowed: false,
    aggregateOnly: false,
  },
  'general-2': {
    encryptAtRest: false,
    masking: { display: 'none', devTest: 'partial', sharing: 'none', openData: 'partial' },
    sharingApprovals: 1,
    watermark: false,
    logRetentionMonths: 6,
    openAllowed: true,
    aggregateOnly: false,
  },
  'general-1': {
    encryptAtRest: false,
    masking: { display: 'none', devTest: 'none', sharing: 'none', openData: 'none' },
    sharingApprovals: 0,
    watermark: false,
    logRetentionMonths: 6,
    openAllowed: true,
    aggregateOnly: false,
  },
};

/** Levels in order, paired with the next lower one: the pairs weakerControls is checked on. */
export function adjacentLevelPairs(): [Level, Level][] {
  return LEVELS.slice(0, -1).map((l, i) => [l, LEVELS[i + 1] as Level]);
}
