// Masking policies (PRT-4, DG-15, LIF-7): per scenario, one rule per field. Defaults come from the field's
// target, the scenario and the grade; validatePolicy explains every problem in English and Chinese.
import { DEFAULT_CONTROLS, type MaskingMode, type MaskingScenario } from '../grading/controls.ts';
import { isLevel, type Level } from '../grading/levels.ts';
import { checkMethodParams, isMaskMethod, MASK_METHOD_LABELS, type MaskMethod, type MaskRule, METHODS, methodsFor } from './methods.ts';
import { isMaskTarget, type MaskTarget, TARGET_INFO } from './target.ts';

import { MASK_SCENARIOS, type MaskScenario } from './vocabulary.ts';

export { MASK_SCENARIOS, type MaskScenario };

/** The grading engine's name for each scenario (its per-level controls say how strongly to mask). */
export const CONTROL_SCENARIO: Record<MaskScenario, MaskingScenario> = { display: 'display', test: 'devTest', sharing: 'sharing', open: 'openData' };

export interface MaskingPolicy {
  scenario: MaskScenario;
  /** Rules by field name; a field without a rule gets defaultRuleFor(its target, the scenario, its level). */
  rules: Record<string, MaskRule>;
}

/** A field the masker handles: its name in the rows, what kind of value it holds, and its grade. */
export interface MaskField {
  name: string;
  target: MaskTarget;
  level: Level;
}

const SUPPRESS: MaskRule = { method: 'suppress' };
const KEEP: MaskRule = { method: 'keep' };

/** Test copies (DG-15): fake values of the same kind, so test systems work but never see real data. */
function testRule(target: MaskTarget): MaskRule {
  if (METHODS.token.applies(target)) return { method: 'token' };
  if (target === 'age') return { method: 'noise', params: { kind: 'absolute', amount: 3 } };
  if (target === 'integer' || target === 'decimal') return { method: 'noise', params: { kind: 'relative', amount: 0.1 } };
  return { method: 'pseudonym' };
}

/** Open data (LIF-7): personal information is kept out; only coarse dates, ages and places remain. */
function openPiRule(target: MaskTarget): MaskRule {
  if (target === 'birth_date') return { method: 'generalise', params: { to: 'year' } };
  if (target === 'age') return { method: 'generalise', params: { width: 10, max: 90 } };
  if (target === 'address') return { method: 'generalise', params: { to: 'district' } };
  return SUPPRESS;
}

function partialRule(target: MaskTarget): MaskRule {
  if (target === 'birth_date') return { method: 'generalise', params: { to: 'month' } };
  if (target === 'age') return KEEP;
  return { method: 'partial' };
}

function pseudonymRule(target: MaskTarget): MaskRule {
  if (target === 'birth_date') return { method: 'generalise', params: { to: 'year' } };
  if (target === 'age') return { method: 'generalise', params: { width: 5 } };
  return { method: 'pseudonym' };
}

/**
 * The default rule for a field. `mode` is the grade's masking control for the scenario (CLS-5; the
 * authority's scheme may change it): by default DEFAULT_CONTROLS of the grading engine. Floors apply to
 * personal information whatever the mode says:
 *
 * | scenario | PI floor                              | mode partial           | mode pseudonymize      |
 * |----------|---------------------------------------|------------------------|------------------------|
 * | display  | partial (birth date → month)          | partial                | pseudonym              |
 * | test     | token / pseudonym / noise (DG-15)      | same                   | same                   |
 * | sharing  | partial (a grant may override)        | partial                | pseudonym              |
 * | open     | suppress; birth date → year, age → 10-year bands, address → district (LIF-7) | same | same |
 *
 * Non-personal targets (dates, numbers, text, USCC) follow the mode: none → keep; partial/pseudonymize →
 * keep for numbers and dates on display and in sharing, noise or shifted dates in test, months in open
 * data; text is partially masked or pseudonymised. suppress and forbidden → suppress (the caller refuses
 * forbidden uses; suppress is what the engine can do).
 */
export function defaultRuleFor(target: MaskTarget, scenario: MaskScenario, level: Level, mode?: MaskingMode): MaskRule {
  const m = mode ?? DEFAULT_CONTROLS[level].masking[CONTROL_SCENARIO[scenario]];
  if (m === 'suppress' || m === 'forbidden') return SUPPRESS;
  const info = TARGET_INFO[target];
  if (info.pi) {
    if (scenario === 'test') return testRule(target);
    if (scenario === 'open') return openPiRule(target);
    return m === 'pseudonymize' ? pseudonymRule(target) : partialRule(target);
  }
  if (m === 'none') return KEEP;
  if (scenario === 'test') return testRule(target);
  if (target === 'text') return m === 'pseudonymize' ? { method: 'pseudonym' } : { method: 'partial' };
  if (scenario === 'open' && (target === 'date' || target === 'datetime')) return { method: 'generalise', params: { to: 'month' } };
  return KEEP;
}

export type PolicyErrorCode =
  | 'SCENARIO_INVALID'
  | 'RULES_INVALID'
  | 'FIELD_INVALID'
  | 'FIELD_DUPLICATE'
  | 'FIELD_UNKNOWN'
  | 'METHOD_UNKNOWN'
  | 'METHOD_NOT_APPLICABLE'
  | 'PARAMS_INVALID';

export interface PolicyError {
  field: string;
  code: PolicyErrorCode;
  message: string;
  messageZh: string;
}

/** Input as it arrives from storage or the API: shapes are checked, not trusted. */
export interface PolicyInput {
  scenario: unknown;
  rules: unknown;
}

/**
 * Every problem with a policy for the given fields: a scenario that does not exist, a rule for a field the
 * resource does not have, an unknown method, a method that does not apply to the field's target (partial on
 * an amount), or parameters that are unknown or out of range. Empty when the policy is usable.
 */
export function validatePolicy(policy: PolicyInput, fields: readonly MaskField[]): PolicyError[] {
  const errors: PolicyError[] = [];
  const err = (field: string, code: PolicyErrorCode, message: string, messageZh: string) => errors.push({ field, code, message, messageZh });
  if (typeof policy.scenario !== 'string' || !(MASK_SCENARIOS as readonly string[]).includes(policy.scenario)) {
    err('scenario', 'SCENARIO_INVALID', `scenario must be one of ${MASK_SCENARIOS.join(', ')}`, `场景应为 ${MASK_SCENARIOS.join('、')} 之一`);
  }
  const byName = new Map<string, MaskField>();
  for (const f of fields) {
    if (!isMaskTarget(f.target) || !isLevel(f.level)) {
      err(
        `fields.${f.name}`,
        'FIELD_INVALID',
        `field ${f.name}: unknown target ${String(f.target)} or level ${String(f.level)}`,
        `字段 ${f.name}：未知的类型 ${String(f.target)} 或级别 ${String(f.level)}`,
      );
    }
    if (byName.has(f.name)) err(`fields.${f.name}`, 'FIELD_DUPLICATE', `field ${f.name} is listed twice`, `字段 ${f.name} 重复`);
    byName.set(f.name, f);
  }
  if (typeof policy.rules !== 'object' || policy.rules === null || Array.isArray(policy.rules)) {
    err('rules', 'RULES_INVALID', 'rules must be an object keyed by field name', '规则应为以字段名为键的对象');
    return errors;
  }
  for (const [name, raw] of Object.entries(policy.rules as Record<string, unknown>)) {
    const path = `rules.${name}`;
    const field = byName.get(name);
    if (field === undefined) {
      err(path, 'FIELD_UNKNOWN', `field ${name} is not a field of this resource`, `字段 ${name} 不属于该资源`);
      continue;
    }
    const rule = raw as { method?: unknown; params?: unknown } | null;
    if (typeof rule !== 'object' || rule === null || !isMaskMethod(rule.method)) {
      const m = typeof rule === 'object' && rule !== null ? String(rule.method) : String(rule);
      err(path, 'METHOD_UNKNOWN', `field ${name}: unknown method ${m}`, `字段 ${name}：未知的脱敏方法 ${m}`);
      continue;
    }
    const method: MaskMethod = rule.method;
    if (!isMaskTarget(field.target)) continue;
    if (!METHODS[method].applies(field.target)) {
      const usable = methodsFor(field.target);
      err(
        path,
        'METHOD_NOT_APPLICABLE',
        `field ${name}: ${method} does not apply to ${TARGET_INFO[field.target].en.toLowerCase()} values (usable: ${usable.join(', ')})`,
        `字段 ${name}：${MASK_METHOD_LABELS[method].zh}不适用于${TARGET_INFO[field.target].zh}（可用：${usable.map((u) => MASK_METHOD_LABELS[u].zh).join('、')}）`,
      );
      continue;
    }
    for (const issue of checkMethodParams(method, field.target, rule.params)) {
      err(
        `${path}.params${issue.param ? `.${issue.param}` : ''}`,
        'PARAMS_INVALID',
        `field ${name}: ${method} ${issue.en}`,
        `字段 ${name}：${MASK_METHOD_LABELS[method].zh}参数 ${issue.zh}`,
      );
    }
  }
  return errors;
}

/** The rule each field gets under a policy: its own rule, or the default for its target, scenario and level. */
export function effectiveRules(policy: MaskingPolicy, fields: readonly MaskField[]): Map<string, MaskRule> {
  const out = new Map<string, MaskRule>();
  for (const f of fields) out.set(f.name, policy.rules[f.name] ?? defaultRuleFor(f.target, policy.scenario, f.level));
  return out;
}
