// Protection API types (issue 5: data keys PRT-5/LIF-11, dataset store LIF-13), from the server's TypeBox
// schema files, as catalogTypes.ts does for the catalog. Never hand-copied.
import type { Static } from 'typebox';
import type {
  DatasetInfo as DatasetInfoSchema,
  DatasetPullBody as DatasetPullBodySchema,
  DatasetUploadQuery as DatasetUploadQuerySchema,
  DatasetVersion as DatasetVersionSchema,
  LOAD_MODES,
} from '../../src/modules/protection/datasets.schemas.ts';
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
