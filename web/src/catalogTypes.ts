// Catalog API types (docs/catalog-contract.md), re-exported by types.ts, from the server's TypeBox schema
// files.
import type { Static } from 'typebox';
import type { EXPORT_FORMATS, ImportIssueDto as ImportIssueSchema, ImportResult as ImportResultSchema } from '../../src/modules/catalog/catalog-io.schemas.ts';
import type {
  GradingDashboard as GradingDashboardSchema,
  GradingDecision as GradingDecisionSchema,
  GradingProposal as GradingProposalSchema,
  Grading as GradingSchema,
} from '../../src/modules/catalog/grading.schemas.ts';
import type { GRADING_STATUSES, Level } from '../../src/modules/catalog/levels.ts';
import type {
  CollectionRecord as CollectionRecordSchema,
  FieldInput as FieldInputSchema,
  Field as FieldSchema,
  LatestGrading as LatestGradingSchema,
  PiDeclaration as PiDeclarationSchema,
  PiInventoryEntry as PiInventoryEntrySchema,
  PiInventory as PiInventorySchema,
  ResourceControls as ResourceControlsSchema,
  ResourceCreate as ResourceCreateSchema,
  ResourceDetail as ResourceDetailSchema,
  ResourceQuery as ResourceQuerySchema,
  ResourceSummary as ResourceSummarySchema,
  ResourceUpdate as ResourceUpdateSchema,
} from '../../src/modules/catalog/resources.schemas.ts';
import type {
  Controls as ControlsSchema,
  Determination as DeterminationSchema,
  DetermineBody as DetermineBodySchema,
  MatrixEntry as MatrixEntrySchema,
  SchemeDraft as SchemeDraftSchema,
  Scheme as SchemeSchema,
  SchemeSummary as SchemeSummarySchema,
} from '../../src/modules/catalog/scheme.schemas.ts';
import type {
  AssetCheckCreate as AssetCheckCreateSchema,
  AssetCheckFinding as AssetCheckFindingSchema,
  AssetCheckQuery as AssetCheckQuerySchema,
  AssetCheck as AssetCheckSchema,
  CARRIER_KINDS,
  ChangeBody as ChangeBodySchema,
  ClosureBody as ClosureBodySchema,
  FilingQuery as FilingQuerySchema,
  FindingResolve as FindingResolveSchema,
  ReviewBody as ReviewBodySchema,
  SecurityLead as SecurityLeadSchema,
  StorageCarrier as StorageCarrierSchema,
  SubmitBody as SubmitBodySchema,
  SystemChanges as SystemChangesSchema,
  SystemCreate as SystemCreateSchema,
  SystemFields as SystemFieldsSchema,
  SystemFiling as SystemFilingSchema,
  SystemFilingWithSnapshot as SystemFilingWithSnapshotSchema,
  SystemQuery as SystemQuerySchema,
  System as SystemSchema,
  SystemSnapshot as SystemSnapshotSchema,
  SystemSummary as SystemSummarySchema,
  SystemUpdate as SystemUpdateSchema,
  TrustedTerminal as TrustedTerminalSchema,
} from '../../src/modules/catalog/systems.schemas.ts';

export type {
  FieldDataType,
  OpenAttribute,
  PiType,
  ShareAttribute,
  UpdateFrequency,
} from '../../src/modules/catalog/catalog.constants.ts';
export type { CategoryNode } from '../../src/modules/catalog/scheme.schemas.ts';
export type { CryptoStatus, FilingKind, Hosting, ReviewStatus, SystemFlag, SystemStatus } from '../../src/modules/catalog/systems.schemas.ts';

// Systems registry (AST-1..3, AST-5..10)
export type CarrierKind = (typeof CARRIER_KINDS)[number];
export type SecurityLead = Static<typeof SecurityLeadSchema>;
export type TrustedTerminal = Static<typeof TrustedTerminalSchema>;
export type StorageCarrier = Static<typeof StorageCarrierSchema>;
export type SystemFields = Static<typeof SystemFieldsSchema>;
export type SystemSnapshot = Static<typeof SystemSnapshotSchema>;
export type SystemCreate = Static<typeof SystemCreateSchema>;
export type SystemUpdate = Static<typeof SystemUpdateSchema>;
export type SystemChanges = Static<typeof SystemChangesSchema>;
export type SubmitBody = Static<typeof SubmitBodySchema>;
export type ChangeBody = Static<typeof ChangeBodySchema>;
export type ClosureBody = Static<typeof ClosureBodySchema>;
export type ReviewBody = Static<typeof ReviewBodySchema>;
export type System = Static<typeof SystemSchema>;
export type SystemSummary = Static<typeof SystemSummarySchema>;
export type SystemQuery = Static<typeof SystemQuerySchema>;
export type SystemFiling = Static<typeof SystemFilingSchema>;
export type SystemFilingWithSnapshot = Static<typeof SystemFilingWithSnapshotSchema>;
export type FilingQuery = Static<typeof FilingQuerySchema>;
// Asset consistency checks (AST-3)
export type AssetCheck = Static<typeof AssetCheckSchema>;
export type AssetCheckFinding = Static<typeof AssetCheckFindingSchema>;
export type AssetCheckCreate = Static<typeof AssetCheckCreateSchema>;
export type AssetCheckQuery = Static<typeof AssetCheckQuerySchema>;
export type FindingResolve = Static<typeof FindingResolveSchema>;

// Data resource catalog (AST-4, AST-11, LIF-1)
export type FieldInput = Static<typeof FieldInputSchema>;
export type Field = Static<typeof FieldSchema>;
export type CollectionRecord = Static<typeof CollectionRecordSchema>;
export type PiDeclaration = Static<typeof PiDeclarationSchema>;
export type PiInventoryEntry = Static<typeof PiInventoryEntrySchema>;
export type PiInventory = Static<typeof PiInventorySchema>;
export type ResourceCreate = Static<typeof ResourceCreateSchema>;
export type ResourceUpdate = Static<typeof ResourceUpdateSchema>;
export type ResourceQuery = Static<typeof ResourceQuerySchema>;
export type ResourceSummary = Static<typeof ResourceSummarySchema>;
export type ResourceDetail = Static<typeof ResourceDetailSchema>;
export type ResourceControls = Static<typeof ResourceControlsSchema>;
export type LatestGrading = Static<typeof LatestGradingSchema>;
// Scheme and determination (CLS-1, CLS-5)
export type GradingStatus = (typeof GRADING_STATUSES)[number];
export type LevelCode = Level;
export type Controls = Static<typeof ControlsSchema>;
export type MaskingMode = Controls['masking']['display'];
export type MaskingScenario = keyof Controls['masking'];
export type MatrixCell = Static<typeof MatrixEntrySchema>;
export type HarmObject = MatrixCell['object'];
export type HarmDegree = MatrixCell['degree'];
export type Scheme = Static<typeof SchemeSchema>;
export type SchemeSummary = Static<typeof SchemeSummarySchema>;
export type SchemeDraft = Static<typeof SchemeDraftSchema>;
export type SchemeStatus = Scheme['status'];
export type SchemeLevel = Scheme['levels'][number];
export type DetermineBody = Static<typeof DetermineBodySchema>;
export type Determination = Static<typeof DeterminationSchema>;

// Grading proposals and decisions (CLS-2..4), the dashboard
export type GradingCreate = Static<typeof GradingProposalSchema>;
export type Harm = GradingCreate['harms'][number];
export type FieldLabel = GradingCreate['fieldLabels'][number];
export type GradingDecision = Static<typeof GradingDecisionSchema>;
export type Grading = Static<typeof GradingSchema>;
export type GradingDashboard = Static<typeof GradingDashboardSchema>;
export type DashboardInstitution = GradingDashboard['institutions'][number];

// Import and export (catalog-io)
export type ImportIssue = Static<typeof ImportIssueSchema>;
export type ImportResult = Static<typeof ImportResultSchema>;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
