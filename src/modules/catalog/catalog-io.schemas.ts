// Catalog import and export (AST-4): request and response shapes.
import { type Static, Type } from 'typebox';
import { Nullable, StrEnum, Uuid } from '../../app/schema-helpers.ts';
import { LEVELS, OPEN_ATTRIBUTES, SHARE_ATTRIBUTES } from '../../engines/catalog-io/vocab.ts';

export const EXPORT_FORMATS = ['xlsx', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ImportQuery = Type.Object(
  {
    institutionId: Type.Optional(Type.String({ format: 'uuid', maxLength: 36, description: '导入到的机构（默认本人所在机构）' })),
    dryRun: Type.Optional(Type.Boolean({ description: '只校验，不写入', default: false })),
    fileName: Type.Optional(Type.String({ maxLength: 255, description: '原文件名（记入审计日志）' })),
  },
  { additionalProperties: false },
);
export type ImportQuery = Static<typeof ImportQuery>;

export const ImportIssueDto = Type.Object({
  sheet: Nullable(Type.String()),
  kind: Nullable(StrEnum(['systems', 'resources', 'fields'] as const)),
  row: Nullable(Type.Integer()),
  column: Nullable(Type.String()),
  field: Nullable(Type.String()),
  code: Type.String(),
  message: Type.String(),
});
export type ImportIssueDto = Static<typeof ImportIssueDto>;

const Counts = Type.Object({
  systems: Type.Integer(),
  resources: Type.Integer(),
  fields: Type.Integer(),
  gradings: Type.Integer({ description: '待审核的定级提议' }),
});

export const ImportResult = Type.Object({
  dryRun: Type.Boolean(),
  institutionId: Type.String(),
  institutionName: Type.String(),
  format: StrEnum(['xlsx', 'csv'] as const),
  encoding: Nullable(Type.String()),
  rows: Type.Integer(),
  created: Counts,
  /** System rows that restate registered systems. */
  reusedSystems: Type.Integer(),
  /** Registered resources that received new fields. */
  extendedResources: Type.Integer(),
  ignoredColumns: Type.Array(Type.Object({ sheet: Nullable(Type.String()), column: Type.String() })),
  ignoredSheets: Type.Array(Type.String()),
});
export type ImportResult = Static<typeof ImportResult>;

export const ExportQuery = Type.Object(
  {
    format: Type.Optional(StrEnum(EXPORT_FORMATS, { default: 'xlsx' })),
    institutionId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;

/** The JSON export: the same content as the files, with ids and codes for programs. */
export const CatalogExportJson = Type.Object({
  exportedAt: Type.String({ format: 'date-time' }),
  institutionId: Nullable(Type.String()),
  systems: Type.Array(
    Type.Object({
      id: Type.String(),
      institutionId: Type.String(),
      institution: Type.String(),
      name: Type.String(),
      /** false: the reader sees the system only as the home of a published resource, not its record. */
      detailed: Type.Boolean(),
      status: Nullable(Type.String()),
      description: Nullable(Type.String()),
      mlpsLevel: Nullable(Type.Integer()),
      mlpsFilingNo: Nullable(Type.String()),
      cii: Nullable(Type.Boolean()),
    }),
  ),
  resources: Type.Array(
    Type.Object({
      id: Type.String(),
      institutionId: Type.String(),
      institution: Type.String(),
      systemId: Type.String(),
      system: Type.String(),
      name: Type.String(),
      description: Nullable(Type.String()),
      shareAttribute: StrEnum(SHARE_ATTRIBUTES),
      shareBasis: Nullable(Type.String()),
      openAttribute: StrEnum(OPEN_ATTRIBUTES),
      openBasis: Nullable(Type.String()),
      updateFrequency: Nullable(Type.String()),
      recordCount: Nullable(Type.Integer()),
      retentionMonths: Nullable(Type.Integer()),
      collection: Type.Object({
        purpose: Nullable(Type.String()),
        legalBasis: Nullable(Type.String()),
        method: Nullable(Type.String()),
        frequency: Nullable(Type.String()),
        scope: Nullable(Type.String()),
      }),
      pi: Type.Object({ records: Nullable(Type.Integer()), people: Nullable(Type.Integer()), sensitive: Nullable(Type.Boolean()) }),
      level: Nullable(StrEnum(LEVELS)),
      gradingStatus: Type.String(),
      published: Type.Boolean(),
      fields: Type.Array(
        Type.Object({
          name: Type.String(),
          dataType: Type.String(),
          description: Nullable(Type.String()),
          level: Nullable(StrEnum(LEVELS)),
        }),
      ),
    }),
  ),
});
export type CatalogExportJson = Static<typeof CatalogExportJson>;
