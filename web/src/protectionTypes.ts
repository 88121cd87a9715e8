// Protection API types (issue 5: data keys PRT-5/LIF-11, dataset store LIF-13, masking PRT-4, deliveries and
// tracing PRT-8/DG-15), from the server's TypeBox schema files, as catalogTypes.ts does for the catalog.
// Never hand-copied.
import type { Static } from 'typebox';
import type { MaskTarget } from '../../src/engines/masking/target.ts';
import type { MaskMethod, MaskScenario } from '../../src/engines/masking/vocabulary.ts';
import type {
  DatasetInfo as DatasetInfoSchema,
  DatasetPullBody as DatasetPullBodySchema,
  DatasetUploadQuery as DatasetUploadQuerySchema,
  DatasetVersion as DatasetVersionSchema,
  LOAD_MODES,
} from '../../src/modules/protection/datasets.schemas.ts';
import type {
  DELIVERY_FORMATS,
  DeliveryCreate as DeliveryCreateSchema,
  DeliveryInfo as DeliveryInfoSchema,
  TraceReport as TraceReportSchema,
} from '../../src/modules/protection/deliveries.schemas.ts';
import type {
  DatasetPreview as DatasetPreviewSchema,
  MaskingUpdate as MaskingUpdateSchema,
  MaskingView as MaskingViewSchema,
  MaskRuleSchema,
} from '../../src/modules/protection/masking.schemas.ts';
import type {
  DATA_KEY_STATUSES,
  DataKeyInfo as DataKeyInfoSchema,
  KEY_STATES,
  KeyDestroyBody as KeyDestroyBodySchema,
  ReencryptQuery as ReencryptQuerySchema,
  ReencryptResult as ReencryptResultSchema,
  ResourceKeys as ResourceKeysSchema,
} from '../../src/modules/protection/protection.schemas.ts';

// Data keys (PRT-5, FZ-12, LIF-11)
export type KeyState = (typeof KEY_STATES)[number];
export type DataKeyStatus = (typeof DATA_KEY_STATUSES)[number];
export type DataKeyInfo = Static<typeof DataKeyInfoSchema>;
export type ResourceKeys = Static<typeof ResourceKeysSchema>;
export type KeyDestroyBody = Static<typeof KeyDestroyBodySchema>;
export type ReencryptQuery = Static<typeof ReencryptQuerySchema>;
export type ReencryptResult = Static<typeof ReencryptResultSchema>;

// Dataset store (LIF-13)
export type LoadMode = (typeof LOAD_MODES)[number];
export type DatasetVersion = Static<typeof DatasetVersionSchema>;
export type DatasetInfo = Static<typeof DatasetInfoSchema>;
export type DatasetField = DatasetInfo['fields'][number];
export type SealedRows = DatasetInfo['sealedRowsByKey'][number];
export type DatasetUploadQuery = Static<typeof DatasetUploadQuerySchema>;
export type DatasetPullBody = Static<typeof DatasetPullBodySchema>;

/** One rejected cell of a 422 DATASET_INVALID answer (details.errors): where, never the value. */
export interface DatasetRejection {
  line: number;
  column: string;
  field: string;
  problem: string;
  message: string;
}

// Masking policies and masked previews (PRT-4), deliveries with their watermarks and leak tracing (PRT-8,
// DG-15). The masking vocabulary comes from files without runtime dependencies (vocabulary.ts, target.ts);
// the watermark engine's types mention Buffer, so its carrier and skip-reason words are plain strings here.
export type { MaskMethod, MaskScenario, MaskTarget };
export type MaskingView = Static<typeof MaskingViewSchema>;
export type MaskingFieldInfo = MaskingView['fields'][number];
export type ScenarioRules = MaskingView['scenarios'][number];
export type ScenarioFieldRule = ScenarioRules['fields'][number];
export type MaskRule = Static<typeof MaskRuleSchema>;
export type MaskingUpdate = Static<typeof MaskingUpdateSchema>;
export type DatasetPreview = Static<typeof DatasetPreviewSchema>;
export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];
export type DeliveryCreate = Static<typeof DeliveryCreateSchema>;
export type DeliveryInfo = Static<typeof DeliveryInfoSchema>;
export type TraceReport = Static<typeof TraceReportSchema>;

/** One problem of a 400 MASKING_POLICY_INVALID answer (details.errors): field is "name" or "name.params.x". */
export interface MaskingPolicyProblem {
  scenario: string;
  field: string;
  code: string;
  message: string;
  messageEn?: string;
}
