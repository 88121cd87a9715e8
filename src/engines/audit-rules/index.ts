// Public API of the anomaly rules (AUD-3, PRT-10, LIF-6): the rule kinds, their parameters and defaults,
// validation of a rule's settings and evaluation over a window of events. Pure: no clock, no I/O.
import { bulkRead } from './bulk-read.ts';
import { grantRate } from './grant-rate.ts';
import { loginFailures } from './login-failures.ts';
import { newSourceIp } from './new-source-ip.ts';
import { offHours } from './off-hours.ts';
import { checkParams, defaultParams, type ParamError, type Params } from './params.ts';
import { privilegeChange } from './privilege-change.ts';
import type { RuleDef } from './rule.ts';
import { type EvalInput, type RaisedAlert, RULE_IDS, type RuleId, SEVERITIES, type Severity } from './types.ts';
import { vendorGradedData } from './vendor-graded-data.ts';

export { BASELINE_DAYS, BULK_READ_ACTIONS } from './bulk-read.ts';
export { beijingClock, beijingMinuteOfDay } from './common.ts';
export { GRANT_RATE_ACTIONS } from './grant-rate.ts';
export { PRIVILEGED_WATCH_ROLES, ROLE_CODES } from './new-source-ip.ts';
export { OFF_HOURS_ACTIONS, offHoursReason } from './off-hours.ts';
export { checkParams, defaultParams, MAX_LIST, matchesAction, type ParamError, type ParamSpec, type Params, type ParamValue, parseTime } from './params.ts';
export { PRIVILEGE_ACTIONS } from './privilege-change.ts';
export { MAX_ALERT_EVENTS, type RuleDef } from './rule.ts';
export * from './types.ts';
export { resourceOf, VENDOR_ROLE } from './vendor-graded-data.ts';
export { SlidingWindow, Windows } from './window.ts';

/** Every rule kind, in the order the settings page lists them. */
export const RULES: Record<RuleId, RuleDef> = {
  bulk_read: bulkRead,
  off_hours: offHours,
  login_failures: loginFailures,
  privilege_change: privilegeChange,
  vendor_graded_data: vendorGradedData,
  new_source_ip: newSourceIp,
  grant_rate: grantRate,
};

export const RULE_LIST: readonly RuleDef[] = RULE_IDS.map((id) => RULES[id]);

export const SEVERITY_LABELS: Record<Severity, { zh: string; en: string }> = {
  high: { zh: '高', en: 'High' },
  medium: { zh: '中', en: 'Medium' },
  low: { zh: '低', en: 'Low' },
};

/** Working days to handle an alert, by severity (the SLA; counted by the workdays calendar). */
export const SLA_WORKDAYS: Record<Severity, number> = { high: 1, medium: 3, low: 5 };

export interface RuleSetting {
  rule: RuleId;
  enabled: boolean;
  severity: Severity;
  params: Params;
}

/** A rule's defaults (when the authority has saved nothing for it). */
export function defaultSetting(rule: RuleId): RuleSetting {
  const def = RULES[rule];
  return { rule, enabled: def.defaultEnabled, severity: def.defaultSeverity, params: defaultParams(def.params) };
}

/** Checks a rule's submitted or stored parameters: the full set (defaults filled in) or the errors. */
export function validateRuleParams(rule: RuleId, raw: unknown): { ok: true; params: Params } | { ok: false; errors: ParamError[] } {
  const def = RULES[rule];
  const checked = checkParams(def.params, raw);
  if (!checked.ok) return checked;
  const more = def.refine?.(checked.params) ?? [];
  return more.length ? { ok: false, errors: more } : checked;
}

/**
 * The effective setting from a stored row: stored parameters that no longer pass (a rule changed under an
 * old row) fall back to the defaults, never to an unchecked value.
 */
export function effectiveSetting(rule: RuleId, stored: { enabled: boolean; severity: string; params: unknown } | undefined): RuleSetting {
  const d = defaultSetting(rule);
  if (!stored) return d;
  const checked = validateRuleParams(rule, stored.params);
  return {
    rule,
    enabled: stored.enabled,
    severity: (SEVERITIES as readonly string[]).includes(stored.severity) ? (stored.severity as Severity) : d.severity,
    params: checked.ok ? checked.params : d.params,
  };
}

/** Runs one rule over the input with its (valid) parameters. */
export function evaluateRule(setting: RuleSetting, input: EvalInput): RaisedAlert[] {
  return RULES[setting.rule].evaluate(input, setting.params);
}
