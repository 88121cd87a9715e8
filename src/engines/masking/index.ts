// Public API of the masking engine (pure; PRT-4, DG-15, LIF-7): masking methods per target, policies per
// scenario with defaults per grade, the compiled row/table masker, and k-anonymity / l-diversity checks with
// a generalisation search for open data.
export {
  type AnonymityOptions,
  AnonymityOptionsError,
  type AnonymityReport,
  applyGeneralisation,
  checkAnonymity,
  type GeneralisationOptions,
  type GeneralisationResult,
  type LatticeNode,
  LOSS_MEASURE,
  MAX_LATTICE_SIZE,
  type QuasiIdentifier,
  searchGeneralisation,
} from './anonymity.ts';
export { compileMasker, type Masker, MaskingPolicyError, type Row, TableLevelMethodError } from './compile.ts';
export { type Hierarchy, HierarchyError, SUPPRESSED } from './hierarchy.ts';
export { deriveKeys, keyedPermutation, MaskKeyError, type MaskKeys, MIN_KEY_BYTES } from './keys.ts';
export {
  checkMethodParams,
  type FieldStats,
  type GeneraliseParams,
  isMaskMethod,
  MASK_METHOD_LABELS,
  MASK_METHODS,
  type MaskMethod,
  type MaskRule,
  methodsFor,
  type NoiseParams,
  type PartialParams,
  PSEUDONYM_ALPHABET,
  type PseudonymParams,
  type RoundParams,
  type ShuffleParams,
  type SuppressParams,
  type TokenParams,
} from './methods.ts';
export type { ParamIssue } from './params.ts';
export {
  CONTROL_SCENARIO,
  defaultRuleFor,
  effectiveRules,
  MASK_SCENARIOS,
  type MaskField,
  type MaskingPolicy,
  type MaskScenario,
  type PolicyError,
  type PolicyErrorCode,
  type PolicyInput,
  validatePolicy,
} from './policy.ts';
export { isMaskTarget, MASK_TARGETS, type MaskTarget, TARGET_INFO, type TargetKind } from './target.ts';
export { ADDRESS_LEVELS, type AddressLevel, generaliseAddress, type ParsedAddress, parseAddress } from './targets/address.ts';
export { DATE_GRAINS, type DateGrain } from './targets/date.ts';
export { COMPOUND_SURNAMES } from './targets/name.ts';
