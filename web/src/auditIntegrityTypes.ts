// Audit chain integrity API types (AUD-2): verification report, event proof, checkpoints, signing keys,
// all from the server's TypeBox schemas (src/modules/audit/audit.schemas.ts).
import type { Static } from 'typebox';
import type {
  CheckpointView as CheckpointViewSchema,
  EventProof as EventProofSchema,
  IntegrityReport as IntegrityReportSchema,
  PublicKeys as PublicKeysSchema,
} from '../../src/modules/audit/audit.schemas.ts';

export type IntegrityReport = Static<typeof IntegrityReportSchema>;
export type ChainProblem = NonNullable<IntegrityReport['problem']>;
export type EventProof = Static<typeof EventProofSchema>;
export type CheckpointView = Static<typeof CheckpointViewSchema>;
export type PublicKeys = Static<typeof PublicKeysSchema>;
export type SigningKey = PublicKeys['keys'][number];
