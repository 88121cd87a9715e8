// What every rule kind is: data (names, default severity, parameter specs) and a function over events.
import type { ParamError, ParamSpec, Params } from './params.ts';
import type { Bilingual, EvalInput, RaisedAlert, RuleId, Severity } from './types.ts';

export interface RuleDef {
  id: RuleId;
  label: Bilingual;
  description: Bilingual;
  defaultSeverity: Severity;
  defaultEnabled: boolean;
  params: readonly ParamSpec[];
  /** Checks across parameters, after each passed on its own. */
  refine?(params: Params): ParamError[];
  /** How long before the judged events the rule needs to see (its window), in milliseconds. */
  lookbackMs(params: Params): number;
  /** The actions the rule reads (patterns as in matchesAction), so the service can narrow its queries; null: any. */
  actions(params: Params): readonly string[] | null;
  evaluate(input: EvalInput, params: Params): RaisedAlert[];
}

/** At most this many events are listed with one alert (the count is in its details). */
export const MAX_ALERT_EVENTS = 50;
