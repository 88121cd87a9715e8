// Labels, parameter editors and query keys of the masking, delivery and trace views (PRT-4, PRT-8, DG-15).
// Methods and value kinds come from the masking engine's dependency-free files (vocabulary.ts, target.ts: no
// node:crypto), so a new method fails the type check here until it has a label. The watermark engine's types
// file needs Node's Buffer, so its carrier and skip-reason words (watermark/types.ts CarrierKind, SkipReason)
// are listed here and an unknown one is shown as sent.
import { ApiError } from '../../api.ts';
import type { MaskingScenario } from '../../catalogTypes.ts';
import { SCENARIO_LABEL } from '../../components/catalog.tsx';
import type { MessageKey, TFunction } from '../../i18n.tsx';
import type { MaskingPolicyProblem, MaskMethod, MaskScenario, MaskTarget } from '../../protectionTypes.ts';

export { TARGET_INFO } from '../../../../src/engines/masking/target.ts';

export const maskingKey = (resourceId: string) => ['protection', resourceId, 'masking'] as const;
export const previewKey = (resourceId: string, scenario?: MaskScenario) =>
  scenario ? (['protection', resourceId, 'preview', scenario] as const) : (['protection', resourceId, 'preview'] as const);
export const deliveriesKey = (resourceId: string) => ['protection', resourceId, 'deliveries'] as const;

export const MASK_SCENARIO_ORDER: readonly MaskScenario[] = ['display', 'test', 'sharing', 'open'];

/** The masking engine's scenario → the grading engine's name for it (policy.ts CONTROL_SCENARIO), for the labels. */
const CONTROL_SCENARIO: Record<MaskScenario, MaskingScenario> = { display: 'display', test: 'devTest', sharing: 'sharing', open: 'openData' };
export const scenarioLabel = (s: MaskScenario): MessageKey => SCENARIO_LABEL[CONTROL_SCENARIO[s]];
export const isMaskScenario = (s: unknown): s is MaskScenario => typeof s === 'string' && (MASK_SCENARIO_ORDER as readonly string[]).includes(s);

export const MASK_METHOD: Record<MaskMethod, MessageKey> = {
  keep: 'mask.method.keep',
  partial: 'mask.method.partial',
  pseudonym: 'mask.method.pseudonym',
  token: 'mask.method.token',
  generalise: 'mask.method.generalise',
  suppress: 'mask.method.suppress',
  shuffle: 'mask.method.shuffle',
  round: 'mask.method.round',
  noise: 'mask.method.noise',
};
export const methodLabel = (t: TFunction, m: string): string => (Object.hasOwn(MASK_METHOD, m) ? t(MASK_METHOD[m as MaskMethod]) : m);

/** Watermark carriers (watermark/types.ts CarrierKind). */
export const CARRIER: Record<string, MessageKey> = {
  decimal: 'watermark.carrier.decimal',
  seconds: 'watermark.carrier.seconds',
  text: 'watermark.carrier.text',
  mask: 'watermark.carrier.mask',
  pseudonym: 'watermark.carrier.pseudonym',
};
/** Why a field carries no mark (watermark/types.ts SkipReason). */
export const SKIP_REASON: Record<string, MessageKey> = {
  identifier: 'watermark.skip.identifier',
  suppressed: 'watermark.skip.suppressed',
  generalised: 'watermark.skip.generalised',
  'no-declared-scale': 'watermark.skip.no-declared-scale',
  'scale-zero': 'watermark.skip.scale-zero',
  'precision-not-minute': 'watermark.skip.precision-not-minute',
  'not-free-text': 'watermark.skip.not-free-text',
  'type-not-markable': 'watermark.skip.type-not-markable',
};
export const carrierLabel = (t: TFunction, c: string) => (Object.hasOwn(CARRIER, c) ? t(CARRIER[c] as MessageKey) : c);
export const skipLabel = (t: TFunction, r: string) => (Object.hasOwn(SKIP_REASON, r) ? t(SKIP_REASON[r] as MessageKey) : r);

// ---- rule parameters -------------------------------------------------------------------------------------

/** The engine's ADDRESS_LEVELS (targets/address.ts) and DATE_GRAINS (targets/date.ts); those files need node:crypto types. */
const ADDRESS_LEVELS = ['province', 'city', 'district', 'street'] as const;
const DATE_GRAINS = ['hour', 'day', 'month', 'year'] as const;
type AddressLevel = (typeof ADDRESS_LEVELS)[number];
type DateGrain = (typeof DATE_GRAINS)[number];
const VALUE_LABEL: Record<AddressLevel | DateGrain | 'relative' | 'absolute', MessageKey> = {
  province: 'mask.value.province',
  city: 'mask.value.city',
  district: 'mask.value.district',
  street: 'mask.value.street',
  hour: 'mask.value.hour',
  day: 'mask.value.day',
  month: 'mask.value.month',
  year: 'mask.value.year',
  relative: 'mask.value.relative',
  absolute: 'mask.value.absolute',
};

/** A parameter with a simple editor. The rest are edited as JSON; the server checks all of them. */
export type ParamField =
  | { name: string; kind: 'int' | 'number'; min?: number }
  | { name: string; kind: 'text'; maxLength: number }
  | { name: string; kind: 'enum'; values: readonly string[] }
  | { name: string; kind: 'bool' };

const DATE_TARGETS = new Set<MaskTarget>(['date', 'datetime', 'birth_date']);

/** The common parameters of a method for a target (names as in the engine's param specs, methods.ts). */
export function paramFields(method: MaskMethod, target: MaskTarget): ParamField[] {
  switch (method) {
    case 'partial':
      if (target === 'address') return [{ name: 'level', kind: 'enum', values: ADDRESS_LEVELS }];
      return [
        { name: 'keepFirst', kind: 'int', min: 0 },
        { name: 'keepLast', kind: 'int', min: 0 },
        { name: 'maskChar', kind: 'text', maxLength: 1 },
      ];
    case 'generalise':
      if (target === 'address') return [{ name: 'to', kind: 'enum', values: ADDRESS_LEVELS }];
      if (target === 'datetime') return [{ name: 'to', kind: 'enum', values: DATE_GRAINS }];
      if (DATE_TARGETS.has(target)) return [{ name: 'to', kind: 'enum', values: ['month', 'year'] }];
      return [
        { name: 'width', kind: 'number' },
        { name: 'min', kind: 'number' },
        { name: 'max', kind: 'number' },
      ];
    case 'suppress':
      return [{ name: 'replacement', kind: 'text', maxLength: 32 }];
    case 'round':
      return [{ name: 'step', kind: 'number' }];
    case 'noise':
      return [
        { name: 'kind', kind: 'enum', values: ['relative', 'absolute'] },
        { name: 'amount', kind: 'number' },
      ];
    case 'token':
      if (target === 'bank_card') return [{ name: 'keepPrefix', kind: 'int', min: 1 }];
      if (target === 'email') return [{ name: 'keepDomain', kind: 'bool' }];
      if (target === 'landline') return [{ name: 'keepAreaCode', kind: 'bool' }];
      if (DATE_TARGETS.has(target)) return [{ name: 'maxShiftDays', kind: 'int', min: 1 }];
      return [];
    case 'pseudonym':
      return [
        { name: 'prefix', kind: 'text', maxLength: 12 },
        { name: 'length', kind: 'int', min: 8 },
      ];
    case 'shuffle':
      return [{ name: 'group', kind: 'text', maxLength: 64 }];
    case 'keep':
      return [];
  }
}

const PARAM_LABEL: Record<string, MessageKey> = {
  keepFirst: 'mask.param.keepFirst',
  keepLast: 'mask.param.keepLast',
  maskChar: 'mask.param.maskChar',
  fixedMaskLength: 'mask.param.fixedMaskLength',
  groupSize: 'mask.param.groupSize',
  level: 'mask.param.level',
  to: 'mask.param.to',
  width: 'mask.param.width',
  min: 'mask.param.min',
  max: 'mask.param.max',
  replacement: 'mask.param.replacement',
  step: 'mask.param.step',
  kind: 'mask.param.kind',
  amount: 'mask.param.amount',
  distribution: 'mask.param.distribution',
  decimals: 'mask.param.decimals',
  prefix: 'mask.param.prefix',
  length: 'mask.param.length',
  context: 'mask.param.context',
  keepPrefix: 'mask.param.keepPrefix',
  keepDomain: 'mask.param.keepDomain',
  keepAreaCode: 'mask.param.keepAreaCode',
  maxShiftDays: 'mask.param.maxShiftDays',
  group: 'mask.param.group',
};
export const paramLabel = (t: TFunction, name: string) => (Object.hasOwn(PARAM_LABEL, name) ? t(PARAM_LABEL[name] as MessageKey) : name);
export const paramValueLabel = (t: TFunction, v: unknown): string => {
  if (typeof v === 'string' && Object.hasOwn(VALUE_LABEL, v)) return t(VALUE_LABEL[v as keyof typeof VALUE_LABEL]);
  if (typeof v === 'boolean') return t(v ? 'mask.value.yes' : 'mask.value.no');
  if (v === null) return 'null';
  return typeof v === 'string' ? `“${v}”` : JSON.stringify(v);
};

/** A rule as one line: 部分遮蔽（保留前几位 3，保留后几位 2）. */
export function ruleText(t: TFunction, rule: { method: string; params?: Record<string, unknown> }): string {
  // In the order of PARAM_LABEL (keepFirst before keepLast), whatever order the stored JSON has.
  const order = Object.keys(PARAM_LABEL);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  const params = Object.entries(rule.params ?? {})
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  const method = methodLabel(t, rule.method);
  if (params.length === 0) return method;
  return `${method}（${params.map(([k, v]) => `${paramLabel(t, k)} ${paramValueLabel(t, v)}`).join('，')}）`;
}

/** Parameters without the keys left empty (undefined, '' or NaN): the engine's defaults apply to those. */
export function cleanParams(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== '' && !(typeof v === 'number' && Number.isNaN(v))));
}

/** The problems of a 400 MASKING_POLICY_INVALID answer, or null for any other error. */
export function policyProblems(e: unknown): MaskingPolicyProblem[] | null {
  if (!(e instanceof ApiError) || e.code !== 'MASKING_POLICY_INVALID') return null;
  const list = e.details?.errors;
  return Array.isArray(list) ? (list as MaskingPolicyProblem[]) : [];
}

/** The field a problem is about ("xm.params.keepFirst" → "xm"). */
export const problemField = (p: MaskingPolicyProblem) => p.field.split('.')[0] ?? p.field;

/**
 * A trace's confidence as a percentage with as many digits as it takes not to round up to 100 % (at most
 * nine after the point): 0.9999999999 → "> 99.999999999%".
 */
export function fmtConfidence(c: number): string {
  if (!Number.isFinite(c) || c <= 0) return '0%';
  const pct = c * 100;
  for (let d = 1; d <= 9; d++) {
    const s = pct.toFixed(d);
    if (Number(s) < 100) return `${s}%`;
  }
  return `> ${(100 - 1e-9).toFixed(9)}%`;
}
