// Public API of the grading engine (pure; CLS-1..5): levels and their order, harms, the determination
// matrix, controls per level, the category tree, the default scheme, scheme validation and the CLS-4 check.
export { type Category, type CategoryEntry, type CategoryInput, indexCategories, MAX_CATEGORY_DEPTH } from './categories.ts';
export { assertNotBelowFields, type FieldLevel, highestField, LevelBelowFieldError } from './cls4.ts';
export {
  CONTROL_LABELS,
  type Controls,
  DEFAULT_CONTROLS,
  MASKING_MODE_LABELS,
  MASKING_MODES,
  MASKING_SCENARIO_LABELS,
  MASKING_SCENARIOS,
  MAX_LOG_RETENTION_MONTHS,
  MAX_SHARING_APPROVALS,
  type MaskingMode,
  type MaskingScenario,
  MIN_LOG_RETENTION_MONTHS,
  maskingStrength,
  weakerControls,
} from './controls.ts';
export { DEFAULT_CATEGORIES } from './default-categories.ts';
export { DEFAULT_SCHEME_NAME, defaultScheme } from './default-scheme.ts';
export { HARM_DEGREE_LABELS, HARM_DEGREES, HARM_OBJECT_LABELS, HARM_OBJECTS, type Harm, type HarmDegree, type HarmObject } from './harms.ts';
export { compareLevels, isLevel, LEVEL_INFO, LEVEL_LIST, LEVELS, type Level, type LevelInfo, maxLevel } from './levels.ts';
export { DEFAULT_MATRIX, type Determination, DeterminationError, determineLevel, type MatrixEntry, sortMatrix } from './matrix.ts';
export {
  MAX_SCHEME_NAME_LENGTH,
  MAX_SCHEME_NOTES_LENGTH,
  type SchemeContent,
  type SchemeError,
  type SchemeErrorCode,
  type SchemeInput,
  type SchemeValidation,
  validateScheme,
} from './validate.ts';
