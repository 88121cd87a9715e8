// Public API of the discovery engine (pure; CLS-2, CLS-3, AST-11, DG-13, DG-23): scanners for values and
// CSV bytes, the built-in recognizers' type IDs, custom recognizers, column inference and proposals.
// See docs/discovery.md.
export {
  CHECKSUMS,
  type ChecksumName,
  isLuhnValid,
  isValidBankCard,
  isValidResidentId,
  residentId15To18,
  residentIdCheckChar,
} from './checks.ts';
export { ASCII_KEYWORDS, DOB_CONTEXT, KEYWORDS } from './cjk.ts';
export {
  analysePattern,
  type CustomError,
  type CustomErrorCode,
  type CustomRecognizer,
  type CustomRecognizerInput,
  MAX_CHOICES,
  MAX_PATTERN_LENGTH,
  MAX_QUANTIFIER,
  PatternError,
  validateCustomRecognizers,
} from './custom.ts';
export { DEFAULT_PI_MAPPING, PI_SENSITIVE_DEFAULT, PI_TYPE_IDS, type PiMapping, type PiTypeId } from './pi.ts';
export {
  ACCEPT_CONFIDENCE,
  type ColumnProposal,
  defaultSchemeGuide,
  type InferredType,
  REPORT_CONFIDENCE,
  type ResourceProposal,
  type SchemeGuide,
} from './proposal.ts';
export {
  type ColumnReport,
  type CsvOptions,
  CsvScanner,
  Scanner,
  type ScanOptions,
  type ScanReport,
  scanCsv,
  scanCsvBuffer,
  scanText,
  type TypeStats,
} from './scanner.ts';
export { BUILTIN_TYPES, type BuiltinType, type Finding, type TextMatch, type TypeId } from './types.ts';
