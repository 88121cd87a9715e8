// Deliveries of masked rows and leak tracing (PRT-4, PRT-8, DG-15, HZ-23). A delivery reads the resource's
// dataset, masks it for the scenario (with a key of its own: its pseudonyms and tokens match no other
// delivery's), marks it for its recipient (watermark engine) and records who got what with the keys that
// recompute its marks, wrapped by the KEK. Today's deliveries are test-data copies (DG-15: test systems never
// see real data); the sharing gateway's grants deliver through the same path.
//
// Tracing takes a leaked file, reads it, and asks the watermark engine which delivery it came from among the
// deliveries the caller may see, with a bounded false-attribution rate; "cannot tell" is an answer.
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { AppError, badRequest, ruleViolation } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import { toCsv, toJsonl } from '../../engines/datasets/serialize.ts';
import { sm3 } from '../../engines/gm/index.ts';
import type { MaskRule, MaskScenario, MaskTarget } from '../../engines/masking/index.ts';
import {
  type Candidate,
  createMarker,
  describePlan,
  type FieldSpec,
  type MaskingKind,
  planMarks,
  type TraceResult,
  traceLeak,
} from '../../engines/watermark/index.ts';
import { openSource, SourceError } from '../../sources/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCan, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { sourceFailure } from './dataset-sources.ts';
import type { DatasetsService, Layout, ProfileSource } from './datasets.service.ts';
import type { DeliveryCreate, DeliveryInfo, TraceReport } from './deliveries.schemas.ts';
import type { Kek } from './kek.ts';
import type { DatasetPreview } from './masking.schemas.ts';
import type { MaskingService } from './masking.service.ts';

const RESOURCE = { zh: '数据资源', en: 'Data resource' };
/** Largest delivery produced in one request (rows are held to write the file; larger ones: the gateway's paging). */
export const DELIVERY_MAX_ROWS = 200_000;
/** Leaked rows read for a trace: far more than any attribution needs. */
const TRACE_MAX_ROWS = 50_000;

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

const MASKING_KIND: Record<MaskRule['method'], MaskingKind> = {
  keep: 'none',
  partial: 'partial',
  pseudonym: 'pseudonym',
  token: 'token',
  generalise: 'generalise',
  suppress: 'suppress',
  shuffle: 'none',
  // Noise and rounding change values on purpose: no mark is put on top of them.
  round: 'generalise',
  noise: 'generalise',
};

/** The associated data the delivery keys are wrapped under (the sharing gateway writes delivery records too). */
export const deliveryAad = (id: string, what: 'mark' | 'mask') => `shuan.delivery\0${id}\0${what}`;

export interface DeliveryFile {
  delivery: DeliveryInfo;
  fileName: string;
  contentType: string;
  body: Buffer;
}

export class DeliveriesService {
  constructor(
    private readonly db: Db,
    private readonly resources: ProfileSource,
    private readonly datasets: DatasetsService,
    private readonly masking: MaskingService,
    private readonly kekProvider: () => Kek,
  ) {}

  /**
   * POST /api/resources/:id/deliveries and `shuan mask`: a masked, watermarked copy of the dataset for a
   * named recipient (DG-15 test copies: scenario `test`).
   */
  async create(actor: Actor, resourceId: string, body: DeliveryCreate): Promise<DeliveryFile> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'dataset.manage', profile.institutionId, RESOURCE);
    const recipient = body.recipient.trim();
    const purpose = body.purpose.trim();
    if (!recipient || !purpose)
      throw badRequest('VALIDATION_FAILED', '请填写接收方和用途', 'Give the recipient and the purpose', { field: recipient ? 'purpose' : 'recipient' });
    const current = await this.datasets.current(this.db, resourceId);
    if (!current) throw ruleViolation('DATASET_EMPTY', '该数据资源尚未载入数据', 'The resource has no data loaded');
    if (current.rowCount > DELIVERY_MAX_ROWS) {
      throw ruleViolation(
        'DELIVERY_TOO_LARGE',
        `数据超过 ${DELIVERY_MAX_ROWS} 行，请通过数据服务接口分页获取`,
        `More than ${DELIVERY_MAX_ROWS} rows: use the data-service interface's paging`,
      );
    }
    const policy = await this.masking.resolve(this.db, profile, body.scenario);
    const maskKey = randomBytes(32);
    const markKey = randomBytes(32);
    const masker = this.masking.masker(policy, maskKey);
    const specs = fieldSpecs(profile, current.layout, policy.rules, Object.fromEntries(policy.fields.map((f) => [f.name, f.target])));
    const plan = planMarks(specs);
    const marker = createMarker(plan, markKey);

    const rows: Record<string, unknown>[] = [];
    for await (const r of this.datasets.openRows(this.db, resourceId)) rows.push(r.values);
    const masked = masker.tableLevelFields.length > 0 ? masker.table(rows) : rows.map((r) => masker.row(r));
    rows.length = 0;
    const marked = masked.map((r) => marker.markRow(r));
    const columns = masker.fields as string[];
    const body_ = await serialize(body.format, columns, marked);

    const id = uuidv7();
    const kek = this.kekProvider();
    const fileSm3 = sm3(body_).toString('hex');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('deliveries')
        .values({
          id,
          resource_id: resourceId,
          institution_id: profile.institutionId,
          recipient,
          purpose,
          scenario: body.scenario,
          format: body.format,
          dataset_version: current.version,
          row_count: marked.length,
          fields: JSON.stringify(specs.map((s) => ({ ...s, rule: policy.rules[s.name], maskTarget: policy.fields.find((f) => f.name === s.name)?.target }))),
          mark_plan: JSON.stringify(plan),
          file_sm3: fileSm3,
          kek_id: kek.id,
          mark_key: kek.wrap(markKey, deliveryAad(id, 'mark')),
          mask_key: kek.wrap(maskKey, deliveryAad(id, 'mask')),
          created_by: actor.userId,
        })
        .execute();
      // A delivery is a read of the data: audited in the same transaction (fail closed).
      await recordAudit(trx, actor, {
        action: 'protection.delivery.create',
        target: { type: 'data_resource', id: resourceId, institutionId: profile.institutionId },
        details: {
          deliveryId: id,
          recipient,
          purpose,
          scenario: body.scenario,
          format: body.format,
          rows: marked.length,
          fileSm3,
          datasetVersion: current.version,
        },
      });
    });
    markKey.fill(0);
    maskKey.fill(0);
    const delivery = (await this.infos(resourceId, id))[0] as DeliveryInfo;
    const stamp = delivery.createdAt.slice(0, 10).replace(/-/g, '');
    return {
      delivery,
      fileName: `${profile.name}-${body.scenario}-${stamp}-${id.slice(-8)}.${body.format}`,
      contentType: CONTENT_TYPES[body.format],
      body: body_,
    };
  }

  /**
   * GET /api/resources/:id/dataset/preview: the first rows as the scenario masks them (display by default),
   * the only way the web shows stored data. Pseudonyms use a key per resource, so a preview is stable.
   */
  async preview(actor: Actor, resourceId: string, scenario: MaskScenario, limit: number): Promise<DatasetPreview> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'protection.read', profile.institutionId, RESOURCE);
    const current = await this.datasets.current(this.db, resourceId);
    const policy = await this.masking.resolve(this.db, profile, scenario);
    const masker = this.masking.masker(policy, this.kekProvider().derive(`shuan.mask.preview.${resourceId}`).secret);
    const rows: Record<string, unknown>[] = [];
    if (current) for await (const r of this.datasets.openRows(this.db, resourceId, { limit })) rows.push(r.values);
    const out = masker.tableLevelFields.length > 0 ? masker.table(rows) : rows.map((r) => masker.row(r));
    await recordAudit(this.db, actor, {
      action: 'protection.dataset.preview',
      target: { type: 'data_resource', id: resourceId, institutionId: profile.institutionId },
      details: { scenario, rows: out.length },
    });
    return { scenario, columns: [...masker.fields], rows: out, total: current?.rowCount ?? 0 };
  }

  /** The resource's stored rows for recomputing pseudonyms; null when there are none (or they were destroyed). */
  private async originalsOrNull(resourceId: string): Promise<Record<string, unknown>[] | null> {
    const out: Record<string, unknown>[] = [];
    try {
      for await (const r of this.datasets.openRows(this.db, resourceId)) out.push(r.values);
    } catch (err) {
      if (err instanceof AppError && err.code === 'DATA_KEY_DESTROYED') return null;
      throw err;
    }
    return out.length > 0 ? out : null;
  }

  /** GET /api/resources/:id/deliveries: who got what, when, with which marks (never the keys). */
  async list(actor: Actor, resourceId: string): Promise<DeliveryInfo[]> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'protection.read', profile.institutionId, RESOURCE);
    return this.infos(resourceId);
  }

  /** The resource's deliveries (or the one named), newest first, as the API shows them. */
  private async infos(resourceId: string, deliveryId?: string): Promise<DeliveryInfo[]> {
    let q = this.db
      .selectFrom('deliveries as d')
      .leftJoin('users as u', 'u.id', 'd.created_by')
      .select([
        'd.id',
        'd.recipient',
        'd.purpose',
        'd.scenario',
        'd.format',
        'd.dataset_version',
        'd.row_count',
        'd.fields',
        'd.mark_plan',
        'd.file_sm3',
        'd.created_at',
        'd.created_by',
        'u.display_name',
      ])
      .where('d.resource_id', '=', resourceId)
      .orderBy('d.created_at', 'desc')
      .limit(200);
    if (deliveryId) q = q.where('d.id', '=', deliveryId);
    const rows = await q.execute();
    return rows.map((r) => {
      const plan = r.mark_plan as unknown as ReturnType<typeof planMarks>;
      return {
        id: r.id,
        resourceId,
        recipient: r.recipient,
        purpose: r.purpose,
        scenario: r.scenario,
        format: r.format,
        datasetVersion: r.dataset_version,
        rowCount: r.row_count,
        fileSm3: r.file_sm3,
        createdAt: r.created_at.toISOString(),
        createdBy: r.created_by ? { id: r.created_by, displayName: r.display_name ?? '' } : null,
        watermark: {
          carriers: plan.fields.map((f) => ({ field: f.field.name, carriers: f.carriers })),
          skipped: plan.skipped,
          traceable: plan.hasCarrier,
          notes: describePlan(plan).zh,
        },
        masking: (r.fields as { name: string; rule?: MaskRule }[]).map((f) => ({ field: f.name, method: f.rule?.method ?? 'keep' })),
      };
    });
  }

  /**
   * POST /api/trace and `shuan trace FILE`: which delivery a leaked file came from, among those the caller
   * may see (protection.read reach), or that it cannot be told.
   */
  async trace(actor: Actor, file: { bytes: Buffer; name: string }): Promise<TraceReport> {
    const reach = reachFilter(actor, 'protection.read');
    if (reach !== null && reach.length === 0) throw new AppError('FORBIDDEN', 403, '没有执行此操作的权限', 'You are not allowed to do this');
    const leaked = await readLeak(file);
    const columns = new Set(Object.keys(leaked[0] ?? {}).map((c) => c.trim().toLowerCase()));
    let q = this.db
      .selectFrom('deliveries as d')
      .innerJoin('data_resources as r', 'r.id', 'd.resource_id')
      .select([
        'd.id',
        'd.resource_id',
        'd.recipient',
        'd.scenario',
        'd.fields',
        'd.mark_key',
        'd.mask_key',
        'd.kek_id',
        'd.created_at',
        'r.name as resource_name',
      ]);
    if (reach !== null) q = q.where('d.institution_id', 'in', reach);
    const all = await q.execute();
    const kek = this.kekProvider();
    // Only deliveries sharing a column with the file can have produced it.
    const candidates = all.filter((d) =>
      (d.fields as unknown as FieldSpec[]).some((f) => columns.has(f.name.trim().toLowerCase()) || (f.label && columns.has(f.label.trim().toLowerCase()))),
    );
    const byId = new Map(candidates.map((d) => [d.id, d]));
    // Per resource: its deliveries, with the pseudonyms and tokens each would have issued recomputed from the
    // stored rows under that delivery's own masking key (evidence that needs no mark at all).
    const groups = new Map<string, typeof candidates>();
    for (const d of candidates) groups.set(d.resource_id, [...(groups.get(d.resource_id) ?? []), d]);
    const results: TraceResult[] = [];
    let listed = 0;
    for (const [resourceId, group] of groups) {
      const originals = await this.originalsOrNull(resourceId);
      const list: Candidate[] = group.map((d) => {
        const stored = d.fields as unknown as (FieldSpec & { rule?: MaskRule; maskTarget?: string })[];
        const specs = stored.map(({ rule: _rule, maskTarget: _target, ...spec }) => spec as FieldSpec);
        const candidate: Candidate = { deliveryId: d.id, recipient: d.recipient, markKey: kek.unwrap(d.mark_key, deliveryAad(d.id, 'mark')), fields: specs };
        const keyed = stored.filter((f) => f.rule && (f.rule.method === 'pseudonym' || f.rule.method === 'token'));
        if (originals && keyed.length > 0) {
          const maskKey = kek.unwrap(d.mask_key, deliveryAad(d.id, 'mask'));
          const masker = this.masking.masker(
            {
              scenario: d.scenario as MaskScenario,
              fields: keyed.map((f) => ({ name: f.name, target: f.maskTarget as MaskTarget, level: 'core' })),
              rules: Object.fromEntries(keyed.map((f) => [f.name, f.rule as MaskRule])),
            },
            maskKey,
          );
          candidate.pseudonymOf = (field, original) => masker.row({ [field.name]: original })[field.name];
        }
        return candidate;
      });
      listed += list.length;
      results.push(traceLeak(leaked, list, { alpha: 1e-9 / groups.size, ...(originals ? { originalRows: () => originals } : {}) }));
    }
    const attributed = results.filter((r) => r.verdict === 'attributed');
    const result: TraceResult =
      attributed.length === 1
        ? (attributed[0] as TraceResult)
        : attributed.length > 1
          ? {
              ...(attributed[0] as TraceResult),
              verdict: 'undetermined',
              deliveryId: undefined,
              recipient: undefined,
              reason: { code: 'multiple-sources', zh: '文件中的数据来自多个来源', en: 'The file holds data from several sources' },
            }
          : (results.sort((a, b) => (b.evidence.perCandidate[0]?.score ?? 0) - (a.evidence.perCandidate[0]?.score ?? 0))[0] ?? noCandidates(leaked.length));
    const list = { length: listed };
    const hit = result.deliveryId ? byId.get(result.deliveryId) : undefined;
    const report: TraceReport = {
      verdict: result.verdict,
      deliveryId: result.deliveryId ?? null,
      recipient: result.recipient ?? null,
      resourceId: hit?.resource_id ?? null,
      resourceName: hit?.resource_name ?? null,
      deliveredAt: hit ? hit.created_at.toISOString() : null,
      confidence: result.confidence,
      reason: result.reason ? { code: result.reason.code, message: actor.lang === 'en' ? result.reason.en : result.reason.zh } : null,
      rows: result.evidence.rows,
      candidates: list.length,
      carriersObserved: result.evidence.carriersObserved,
      top: result.evidence.perCandidate.map((c) => ({
        deliveryId: c.deliveryId,
        recipient: c.recipient,
        agree: c.agree,
        disagree: c.disagree,
        score: c.score,
      })),
    };
    await recordAudit(this.db, actor, {
      action: 'protection.trace',
      details: {
        fileName: file.name,
        fileSm3: sm3(file.bytes).toString('hex'),
        verdict: report.verdict,
        deliveryId: report.deliveryId,
        // AUD-6: the resource the file was traced to (its life-cycle trace shows the leak).
        resourceId: report.resourceId,
        candidates: list.length,
        rows: report.rows,
      },
    });
    return report;
  }
}

/**
 * How many distinct values a token of each kind can take (log2), conservatively: a fake name drawn from common
 * surnames and given names collides often, so one matching fake name is weak evidence; a keyed pseudonym
 * (HMAC-SM3, long output) is strong.
 */
const TOKEN_SPACE_BITS: Partial<Record<MaskTarget, number>> = {
  name: 10,
  mobile: 24,
  resident_id: 24,
  bank_card: 30,
  passport: 20,
  plate: 16,
  email: 20,
  landline: 16,
  uscc: 30,
};

/** What the watermark engine needs to know of each delivered column (also the gateway's delivery records). */
export function fieldSpecs(
  profile: { fields: { id: string; name: string; dataType: string; description: string | null; piType: string | null }[] },
  layout: Layout,
  rules: Record<string, MaskRule>,
  targets: Record<string, MaskTarget>,
): FieldSpec[] {
  return profile.fields.map((f) => {
    const l = layout.find((x) => x.name === f.name);
    const method = rules[f.name]?.method ?? 'keep';
    const spec: FieldSpec = {
      name: f.name,
      id: f.id,
      dataType: f.dataType,
      piType: f.piType,
      masking: MASKING_KIND[method],
      freeText: f.dataType === 'text' && !f.piType,
    };
    if (method === 'token') spec.valueSpaceBits = TOKEN_SPACE_BITS[targets[f.name] as MaskTarget] ?? 12;
    if (method === 'pseudonym') spec.valueSpaceBits = 32;
    if (f.description) spec.label = f.description;
    if (l?.scale !== undefined && l.scale > 0) spec.scale = l.scale;
    if (l?.precision) spec.precision = l.precision;
    return spec;
  });
}

async function serialize(format: 'csv' | 'xlsx' | 'jsonl', columns: string[], rows: Record<string, unknown>[]): Promise<Buffer> {
  if (format === 'csv') return toCsv(columns, rows);
  if (format === 'jsonl') return toJsonl(columns, rows);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('数据');
  ws.addRow(columns);
  for (const r of rows) ws.addRow(columns.map((c) => (r[c] === undefined ? null : (r[c] as ExcelJS.CellValue))));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readLeak(file: { bytes: Buffer; name: string }): Promise<Record<string, unknown>[]> {
  if (file.bytes.length === 0) throw badRequest('EMPTY_FILE', '文件为空', 'The file is empty');
  try {
    const source = await openSource({ buffer: file.bytes, name: file.name });
    try {
      const rows: Record<string, unknown>[] = [];
      for await (const r of source.rows()) {
        rows.push(r.values);
        if (rows.length >= TRACE_MAX_ROWS) break;
      }
      return rows;
    } finally {
      await source.close();
    }
  } catch (err) {
    throw err instanceof SourceError ? sourceFailure(err) : err;
  }
}

function noCandidates(rows: number): TraceResult {
  return {
    verdict: 'undetermined',
    confidence: 0,
    reason: { code: 'no-columns-matched', zh: '没有与该文件列名相符的数据交付记录', en: 'No delivery has columns like this file' },
    evidence: { rows, matchedColumns: [], unmatchedColumns: [], carriersObserved: 0, perCandidate: [], sources: [] },
  };
}
