// The data-service gateway (LIF-3, LIF-5, LIF-6, PRT-8, PRT-9): the only way a recipient's systems read
// shared data. Every call, in this order:
//   authenticate the client credential → check the grant (active, in term on the Beijing date, purpose
//   declared, fields, row filter, rate and volume) → read the dataset store (decrypted, integrity-checked)
//   → mask (scenario 'sharing', the grant's own masking key) → watermark for the recipient (the grant's own
//   mark key) → append the audit event (acknowledged = durable and chained; else 503, nothing leaves) → respond.
//
// Hot path: ONE statement authenticates the credential, reads the grant and its delivery record, bumps the
// per-minute call counter and reserves the page's rows from the day's volume (grant_usage, shared by every
// server process). Nothing about a grant's status is cached: revocation and expiry act on the next call.
// What is cached (per process) is immutable: the compiled masker and marker of a delivery record.
// Every refusal is audited too (sharing.gateway.denied, outcome denied, details.code).

import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { AppError, badRequest, ruleViolation } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { RowFilterCondition } from '../../db/schema.ts';
import { toCsv, toJsonl } from '../../engines/datasets/serialize.ts';
import type { Masker, MaskRule, MaskTarget } from '../../engines/masking/index.ts';
import { createAggregator, MetricSyntaxError, metricName, parseMetrics } from '../../engines/sharing/aggregate.ts';
import { retryAfterDay, retryAfterMinute } from '../../engines/sharing/rate-window.ts';
import { compileRowFilter, type RowPredicate } from '../../engines/sharing/row-filter.ts';
import { createMarker, type FieldSpec, type Marker, type MarkPlan, planMarks } from '../../engines/watermark/index.ts';
import type { AuditContext, AuditEventInput } from '../audit/audit.recorder.ts';
import type { AuditLog } from '../audit/audit.sealer.ts';
import type { ResourcesService } from '../catalog/resources.service.ts';
import type { Actor, RequestInfo } from '../org/actor.ts';
import type { DatasetsService } from '../protection/datasets.service.ts';
import { deliveryAad, fieldSpecs } from '../protection/deliveries.service.ts';
import type { Kek } from '../protection/kek.ts';
import type { MaskingService } from '../protection/masking.service.ts';
import { parseClientToken, SecretMac } from './credentials.ts';
import type { AggregateQuery, AggregateResult, ExportQuery, RecordsPage, RecordsQuery } from './gateway.schemas.ts';

/** Stored rows looked at per records call at most (filters may match few): the cursor lets paging go on. */
export const SCAN_CAP = 20_000;
/** Rows masked and written per chunk of an export. */
const EXPORT_CHUNK = 1000;
/** Per-day usage counters are kept this many days (see pruneUsage). */
export const USAGE_DAYS_KEPT = 400;
/** Aggregates read at most this many rows (a larger dataset: the provider should publish a statistic). */
export const AGGREGATE_MAX_ROWS = 2_000_000;

type Mode = 'records' | 'export' | 'aggregate';
const ACTIONS: Record<Mode, string> = { records: 'sharing.gateway.read', export: 'sharing.gateway.export', aggregate: 'sharing.gateway.aggregate' };

export interface GatewayCall {
  grantId: string;
  authorization: string | undefined;
  info: RequestInfo;
}

interface Prepared {
  deliveryId: string;
  /** The granted fields in the grant's order. */
  fields: string[];
  masker: Masker;
  marker: Marker;
  /** Fields whose sharing rule keeps the value (filters allowed on these only). */
  keep: Set<string>;
  dataTypes: Record<string, string>;
}

interface Checked {
  grantId: string;
  resourceId: string;
  providerId: string;
  recipientId: string;
  credentialId: string;
  clientId: string;
  purposeCode: string;
  fields: string[];
  rowFilter: RowFilterCondition[] | null;
  minGroupSize: number;
  ratePerMinute: number;
  rowsPerDay: number;
  reserved: number;
  prepared: Prepared;
  who: AuditContext;
}

interface CheckRow {
  cred_id: string | null;
  cred_grant_id: string | null;
  secret_mac: Buffer | null;
  cred_status: string | null;
  grant_id: string | null;
  status: string | null;
  term_start: string | null;
  term_end: string | null;
  today: string | null;
  purpose_code: string | null;
  fields: string[] | null;
  row_filter: RowFilterCondition[] | null;
  aggregate_only: boolean | null;
  min_group_size: number | null;
  rate_per_minute: number | null;
  rows_per_day: number | null;
  resource_id: string | null;
  provider_institution_id: string | null;
  recipient_institution_id: string | null;
  minute_calls: number | null;
  reserved: string | number | null;
  wanted: string | number | null;
  policy_version: number | null;
  delivery_id: string | null;
  delivery_fields: (FieldSpec & { rule?: MaskRule; maskTarget?: MaskTarget })[] | null;
  mark_plan: MarkPlan | null;
  mark_key: Buffer | null;
  mask_key: Buffer | null;
}

const denied = (status: number, code: string, zh: string, en: string, details?: Record<string, unknown>) => new AppError(code, status, zh, en, details);
const invalidClient = () => denied(401, 'INVALID_CLIENT', '接口凭证无效或已停用', 'The client credential is invalid or revoked');
const grantNotFound = () => denied(404, 'GRANT_NOT_FOUND', '共享授权不存在', 'Sharing grant not found');

export class RateLimited extends AppError {
  constructor(
    code: 'RATE_LIMITED' | 'VOLUME_EXCEEDED',
    readonly retryAfter: number,
    details: Record<string, unknown>,
  ) {
    super(
      code,
      429,
      code === 'RATE_LIMITED' ? '调用过于频繁，已超过授权约定的每分钟调用次数' : '已超过授权约定的每日数据量',
      code === 'RATE_LIMITED' ? 'Too many calls: the grant’s calls per minute are used up' : 'The grant’s rows per day are used up',
      { ...details, retryAfter },
    );
  }
}

/** Base64url of the last row id: opaque to callers. */
const encodeCursor = (id: number) => Buffer.from(`r${id}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^r(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw badRequest('CURSOR_INVALID', '分页游标无效', 'Invalid paging cursor', { field: 'cursor' });
  return Number(m[1]);
}

function listParam(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** `filter[field]=value` parameters of a query (a repeated one: any of its values). */
function callFilters(query: Record<string, unknown>): RowFilterCondition[] {
  const out: RowFilterCondition[] = [];
  for (const [k, v] of Object.entries(query)) {
    const m = /^filter\[(.+)\]$/.exec(k);
    if (!m) continue;
    const values = (Array.isArray(v) ? v : [v]).map(String);
    out.push(values.length === 1 ? { field: m[1] as string, op: 'eq', value: values[0] as string } : { field: m[1] as string, op: 'in', values });
  }
  return out;
}

export class GatewayService {
  private readonly macs: SecretMac;
  private readonly prepared = new Map<string, Prepared>();
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly resources: ResourcesService,
    private readonly datasets: DatasetsService,
    private readonly masking: MaskingService,
    private readonly kek: () => Kek,
    private readonly auditLog: AuditLog,
  ) {
    this.macs = new SecretMac(kek);
  }

  // -------------------------------------------------------------------------------------------------
  // Calls

  /** GET /api/data-services/:grantId/records: one page of masked, watermarked rows. */
  async records(call: GatewayCall, query: RecordsQuery): Promise<{ page: RecordsPage; csv: Buffer | null }> {
    const raw = query as Record<string, unknown>;
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor);
    const c = await this.check(call, 'records', query.purpose, listParam(query.fields), limit);
    const columns = this.columns(c, query.fields);
    const filters = callFilters(raw);
    await this.checkFilters(c, call, 'records', filters);
    try {
      const keep = this.filterOf(c, filters);
      const hasFilter = (c.rowFilter?.length ?? 0) > 0 || filters.length > 0;
      const want = Math.min(limit, c.reserved);
      const stored: { id: number; values: Record<string, unknown> }[] = [];
      let lastId = after;
      let scanned = 0;
      let more = false;
      // Without filters every stored row is a match: read exactly the page (and one more to know whether
      // there is a next page is not needed: a full page hands out a cursor; the next call may be empty).
      const scan = hasFilter ? SCAN_CAP : want;
      for await (const r of this.datasets.openRows(this.db, c.resourceId, { afterId: after, limit: scan, batch: hasFilter ? 1000 : want })) {
        scanned++;
        lastId = r.id;
        if (keep(r.values)) stored.push(r);
        if (stored.length >= want) {
          more = true;
          break;
        }
      }
      if (!more && scanned >= scan) more = true;
      const rows = this.maskAndMark(
        c,
        stored.map((r) => r.values),
        columns,
      );
      const nextCursor = more ? encodeCursor(lastId) : null;
      await this.giveBack(c, c.reserved - rows.length);
      await this.audit(c, 'records', { rows: rows.length, fields: columns, cursor: query.cursor ?? null, scanned });
      const page: RecordsPage = { grant: c.grantId, purpose: c.purposeCode, fields: columns, rows: rows as RecordsPage['rows'], nextCursor, watermarked: true };
      return { page, csv: query.format === 'csv' ? toCsv(columns, rows) : null };
    } catch (err) {
      await this.giveBackQuietly(c, err);
      throw err;
    }
  }

  /**
   * GET /api/data-services/:grantId/export: every row the grant allows, streamed chunk by chunk (never held
   * whole). The day's volume must hold the whole dataset (else 429 VOLUME_EXCEEDED before anything is read).
   * The audit event (with the exact row count) is acknowledged before the first byte; never more rows than it
   * names are sent.
   */
  async export(
    call: GatewayCall,
    query: ExportQuery,
  ): Promise<{ stream: Readable | AsyncIterable<Buffer>; contentType: string; fileName: string; rows: number }> {
    const raw = query as Record<string, unknown>;
    const format = query.format ?? 'csv';
    const c = await this.check(call, 'export', query.purpose, listParam(query.fields), -1);
    const columns = this.columns(c, query.fields);
    const filters = callFilters(raw);
    await this.checkFilters(c, call, 'export', filters);
    let rows: number;
    try {
      const keep = this.filterOf(c, filters);
      if ((c.rowFilter?.length ?? 0) > 0 || filters.length > 0) {
        rows = 0;
        for await (const r of this.datasets.openRows(this.db, c.resourceId, { batch: 2000 })) if (keep(r.values)) rows++;
      } else {
        rows = (await this.datasets.current(this.db, c.resourceId))?.rowCount ?? 0;
      }
      rows = Math.min(rows, c.reserved);
      await this.giveBack(c, c.reserved - rows);
      await this.audit(c, 'export', { rows, fields: columns, format });
    } catch (err) {
      await this.giveBackQuietly(c, err);
      throw err;
    }
    const self = this;
    async function* body(): AsyncGenerator<Buffer> {
      const keep = self.filterOf(c, filters);
      let sent = 0;
      let chunk: Record<string, unknown>[] = [];
      let first = true;
      const header = toCsv(columns, []).length;
      const flush = (): Buffer => {
        const marked = self.maskAndMark(c, chunk, columns);
        chunk = [];
        if (format === 'jsonl') return toJsonl(columns, marked);
        const csv = toCsv(columns, marked);
        const out = first ? csv : csv.subarray(header);
        first = false;
        return out;
      };
      for await (const r of self.datasets.openRows(self.db, c.resourceId, { batch: 2000 })) {
        if (sent >= rows) break;
        if (!keep(r.values)) continue;
        chunk.push(r.values);
        sent++;
        if (chunk.length >= EXPORT_CHUNK) yield flush();
      }
      if (chunk.length > 0 || (first && format === 'csv')) yield flush();
    }
    const stamp = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    return {
      stream: body(),
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      fileName: `grant-${c.grantId.slice(-8)}-${stamp}.${format}`,
      rows,
    };
  }

  /** GET /api/data-services/:grantId/aggregate (PRT-9): counts, sums and averages per group; small groups suppressed. */
  async aggregate(call: GatewayCall, query: AggregateQuery): Promise<AggregateResult> {
    const raw = query as Record<string, unknown>;
    const groupBy = listParam(query.groupBy);
    let metrics: ReturnType<typeof parseMetrics>;
    try {
      metrics = parseMetrics(query.metrics);
    } catch (err) {
      if (err instanceof MetricSyntaxError)
        throw badRequest(
          'VALIDATION_FAILED',
          `统计指标无效：${err.item}（可用 count、sum:字段、avg:字段）`,
          `Invalid metric ${err.item} (count, sum:field, avg:field)`,
          {
            field: 'metrics',
          },
        );
      throw err;
    }
    const fieldsUsed = [...new Set([...groupBy, ...metrics.flatMap((m) => (m.kind === 'count' ? [] : [m.field]))])];
    const c = await this.check(call, 'aggregate', query.purpose, fieldsUsed, 0);
    const filters = callFilters(raw);
    await this.checkFilters(c, call, 'aggregate', filters);
    const keep = this.filterOf(c, filters);
    const agg = createAggregator({ groupBy, metrics, minGroupSize: c.minGroupSize, dataTypes: c.prepared.dataTypes });
    let scanned = 0;
    const masker = c.prepared.masker;
    const table = masker.tableLevelFields.length > 0;
    // Group keys are the MASKED values (a key never shows what the sharing rule hides: a generalised age is
    // an age band); sums and averages are over the stored numbers, released only for groups of at least
    // minGroupSize (PRT-9).
    let pending: Record<string, unknown>[] = [];
    const drain = () => {
      const masked = masker.table(pending);
      for (let i = 0; i < pending.length; i++) agg.add(masked[i] as Record<string, unknown>, pending[i] as Record<string, unknown>);
      pending = [];
    };
    for await (const r of this.datasets.openRows(this.db, c.resourceId, { batch: 2000, limit: AGGREGATE_MAX_ROWS })) {
      scanned++;
      if (!keep(r.values)) continue;
      if (table) {
        pending.push(r.values);
        if (pending.length >= EXPORT_CHUNK) drain();
      } else agg.add(masker.row(r.values), r.values);
    }
    if (pending.length > 0) drain();
    const result = agg.result();
    await this.audit(c, 'aggregate', {
      groups: result.groups.length,
      suppressedGroups: result.suppressedGroups,
      scanned,
      groupBy,
      metrics: metrics.map(metricName),
    });
    return {
      grant: c.grantId,
      purpose: c.purposeCode,
      groupBy,
      metrics: metrics.map(metricName),
      minGroupSize: c.minGroupSize,
      groups: result.groups,
      suppressedGroups: result.suppressedGroups,
    };
  }

  /**
   * GET /api/data-services/:grantId/bare (only with SHUAN_BENCH_BARE=1): the same rows from the same store,
   * decrypted, with no authentication, checks, masking, watermark or audit — the benchmark's anchor.
   */
  async bare(grantId: string, limit: number): Promise<{ rows: Record<string, unknown>[] }> {
    const g = await this.db.selectFrom('share_grants').select(['resource_id', 'fields']).where('id', '=', grantId).executeTakeFirst();
    if (!g) throw grantNotFound();
    const rows: Record<string, unknown>[] = [];
    for await (const r of this.datasets.openRows(this.db, g.resource_id, { limit, batch: limit })) {
      const o: Record<string, unknown> = {};
      for (const f of g.fields) o[f] = r.values[f] ?? null;
      rows.push(o);
    }
    return { rows };
  }

  // -------------------------------------------------------------------------------------------------
  // The checks

  /**
   * Authenticates the call and checks the grant in one statement; on success the page's rows are reserved
   * from the day's volume (`wanted`: a records page's limit, partial allowed; -1: the whole dataset for an
   * export, all or nothing; 0: an aggregate). Throws the refusal, audited.
   */
  private async check(call: GatewayCall, mode: Mode, purpose: string | undefined, requested: string[], wanted: number): Promise<Checked> {
    const token = parseClientToken(call.authorization);
    const anonymous: AuditContext = {
      userId: null,
      username: token ? `sgw:${token.clientId}` : null,
      institutionId: null,
      ip: call.info.ip,
      requestId: call.info.requestId,
    };
    if (!token) return this.refuse(anonymous, call, mode, invalidClient(), {});
    const mac = this.macs.mac(token.secret);
    this.maybePruneUsage();
    const r = await this.checkStatement(token.clientId, mac, call.grantId, purpose ?? '', requested, mode, wanted);
    if (!r.cred_id || !r.secret_mac || !this.macs.matches(token.secret, r.secret_mac) || r.cred_status !== 'active') {
      return this.refuse(anonymous, call, mode, invalidClient(), { clientId: token.clientId });
    }
    const base = { clientId: token.clientId, credentialId: r.cred_id };
    // A credential of another grant learns nothing of this one (404, as for a grant that does not exist).
    if (r.cred_grant_id !== call.grantId || !r.grant_id) return this.refuse(anonymous, call, mode, grantNotFound(), base);
    const who: AuditContext = { ...anonymous, institutionId: r.recipient_institution_id };
    const target = { type: 'data_resource', id: r.resource_id as string, institutionId: r.provider_institution_id };
    const refuse = (err: AppError, extra: Record<string, unknown> = {}) =>
      this.refuse(who, call, mode, err, { ...base, purposeCode: purpose ?? null, ratePerMinute: r.rate_per_minute, ...extra }, target);
    if (r.status === 'revoked') return refuse(denied(403, 'GRANT_REVOKED', '该共享授权已被撤销', 'The sharing grant was revoked'));
    const today = r.today as string;
    if (r.status === 'expired' || today > (r.term_end as string))
      return refuse(denied(403, 'GRANT_EXPIRED', `该共享授权已于 ${r.term_end} 到期`, `The sharing grant expired on ${r.term_end}`, { termEnd: r.term_end }));
    if (today < (r.term_start as string))
      return refuse(
        denied(403, 'GRANT_NOT_STARTED', `该共享授权自 ${r.term_start} 起生效`, `The sharing grant takes effect on ${r.term_start}`, {
          termStart: r.term_start,
        }),
      );
    if (!purpose || purpose !== r.purpose_code)
      return refuse(
        denied(403, 'PURPOSE_MISMATCH', '调用须声明授权约定的用途（purpose 参数）', 'Declare the purpose agreed in the grant (the purpose parameter)', {
          purpose: purpose ?? null,
        }),
      );
    const granted = new Set(r.fields ?? []);
    const missing = requested.find((f) => !granted.has(f));
    if (missing !== undefined)
      return refuse(denied(403, 'FIELD_NOT_GRANTED', `字段 ${missing} 不在授权范围内`, `Field ${missing} is not in the grant`, { field: missing }));
    if (r.aggregate_only && mode !== 'aggregate')
      return refuse(
        denied(403, 'AGGREGATE_ONLY', '该数据仅允许统计查询（可用不可见），不提供明细', 'This data is available only through aggregate queries (PRT-9)'),
      );
    if (r.minute_calls === null || r.minute_calls > (r.rate_per_minute as number)) {
      const after = retryAfterMinute(new Date());
      return refuse(new RateLimited('RATE_LIMITED', after, { ratePerMinute: r.rate_per_minute }));
    }
    const need = Number(r.wanted ?? 0);
    const reserved = Number(r.reserved ?? 0);
    if (need > 0 && reserved === 0) {
      return refuse(new RateLimited('VOLUME_EXCEEDED', retryAfterDay(new Date()), { rowsPerDay: r.rows_per_day, wanted: need }));
    }
    const checked: Checked = {
      grantId: r.grant_id,
      resourceId: r.resource_id as string,
      providerId: r.provider_institution_id as string,
      recipientId: r.recipient_institution_id as string,
      credentialId: r.cred_id,
      clientId: token.clientId,
      purposeCode: r.purpose_code as string,
      fields: r.fields as string[],
      rowFilter: r.row_filter,
      minGroupSize: r.min_group_size as number,
      ratePerMinute: r.rate_per_minute as number,
      rowsPerDay: r.rows_per_day as number,
      reserved,
      who,
      prepared: undefined as unknown as Prepared,
    };
    try {
      checked.prepared = await this.prepare(checked, r);
    } catch (err) {
      await this.giveBackQuietly(checked, err);
      throw err;
    }
    return checked;
  }

  private async checkStatement(clientId: string, mac: Buffer, grantId: string, purpose: string, requested: string[], mode: Mode, wanted: number) {
    // `granted` (rate-window.ts rowsGranted): a records page takes what is left of the day's rows; an export
    // needs the whole dataset's rows or nothing.
    const partial = mode === 'records';
    const res = await sql<CheckRow>`
      WITH cred AS (
        SELECT id, grant_id, secret_mac, status FROM grant_credentials WHERE client_id = ${clientId}
      ), g AS (
        SELECT g.*, (now() AT TIME ZONE 'Asia/Shanghai')::date AS today FROM share_grants g WHERE g.id = ${grantId}::uuid
      ), ok AS (
        SELECT g.id, g.resource_id, g.rate_per_minute, g.rows_per_day FROM g JOIN cred ON cred.grant_id = g.id
        WHERE cred.secret_mac = ${mac} AND cred.status = 'active' AND g.status = 'active'
          AND g.term_start <= g.today AND g.term_end >= g.today AND g.purpose_code = ${purpose}
          AND g.fields @> ${JSON.stringify(requested)}::jsonb AND (NOT g.aggregate_only OR ${mode} = 'aggregate')
      ), minute AS (
        INSERT INTO grant_usage AS u (grant_id, kind, window_start, calls)
        SELECT id, 'minute', date_trunc('minute', now()), 1 FROM ok
        ON CONFLICT (grant_id, kind, window_start) DO UPDATE SET calls = u.calls + 1
        RETURNING u.calls
      ), want AS (
        SELECT ok.id, ok.rows_per_day::bigint AS per_day,
          CASE WHEN ${wanted}::bigint < 0
            THEN COALESCE((SELECT d.row_count FROM datasets d WHERE d.resource_id = ok.resource_id AND d.version > 0), 0)
            ELSE ${wanted}::bigint END AS n
        FROM ok, minute WHERE minute.calls <= ok.rate_per_minute
      ), day AS (
        INSERT INTO grant_usage AS u (grant_id, kind, window_start, calls, rows, reserved)
        SELECT id, 'day', date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai', 1,
          CASE WHEN ${partial} THEN LEAST(n, per_day) WHEN n <= per_day THEN n ELSE 0 END,
          CASE WHEN ${partial} THEN LEAST(n, per_day) WHEN n <= per_day THEN n ELSE 0 END
        FROM want
        ON CONFLICT (grant_id, kind, window_start) DO UPDATE SET
          calls = u.calls + 1,
          rows = u.rows + (SELECT CASE WHEN ${partial} THEN LEAST(w.n, GREATEST(w.per_day - u.rows, 0)) WHEN u.rows + w.n <= w.per_day THEN w.n ELSE 0 END FROM want w),
          reserved = (SELECT CASE WHEN ${partial} THEN LEAST(w.n, GREATEST(w.per_day - u.rows, 0)) WHEN u.rows + w.n <= w.per_day THEN w.n ELSE 0 END FROM want w)
        RETURNING u.reserved
      ), touch AS (
        UPDATE grant_credentials SET last_used_at = now()
        WHERE id = (SELECT cred.id FROM cred JOIN ok ON ok.id = cred.grant_id)
          AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
      )
      SELECT cred.id AS cred_id, cred.grant_id AS cred_grant_id, cred.secret_mac, cred.status AS cred_status,
        g.id AS grant_id, g.status, to_char(g.term_start, 'YYYY-MM-DD') AS term_start, to_char(g.term_end, 'YYYY-MM-DD') AS term_end,
        to_char(g.today, 'YYYY-MM-DD') AS today, g.purpose_code, g.fields, g.row_filter, g.aggregate_only, g.min_group_size,
        g.rate_per_minute, g.rows_per_day, g.resource_id, g.provider_institution_id, g.recipient_institution_id,
        (SELECT calls FROM minute) AS minute_calls, (SELECT reserved FROM day) AS reserved, (SELECT n FROM want) AS wanted,
        pv.v AS policy_version, d.id AS delivery_id, d.fields AS delivery_fields, d.mark_plan, d.mark_key, d.mask_key
      FROM (SELECT 1) one
      LEFT JOIN cred ON true
      LEFT JOIN g ON g.id = cred.grant_id
      LEFT JOIN LATERAL (SELECT COALESCE((SELECT m.version FROM masking_policies m WHERE m.resource_id = g.resource_id), 0) AS v) pv ON true
      LEFT JOIN LATERAL (
        SELECT d.id, d.fields, d.mark_plan, d.mark_key, d.mask_key FROM grant_deliveries x JOIN deliveries d ON d.id = x.delivery_id
        WHERE x.grant_id = (SELECT id FROM ok) AND x.policy_version = pv.v
      ) d ON true
    `.execute(this.db);
    return res.rows[0] as CheckRow;
  }

  /** Audits the refusal (fail closed: an unwritable log answers 503 instead) and throws it. */
  private async refuse(
    who: AuditContext,
    call: GatewayCall,
    mode: Mode,
    err: AppError,
    details: Record<string, unknown>,
    target?: AuditEventInput['target'],
  ): Promise<never> {
    await this.auditLog.append(who, {
      action: 'sharing.gateway.denied',
      outcome: 'denied',
      ...(target ? { target } : {}),
      details: { ...(err.details ?? {}), grantId: call.grantId, code: err.code, mode, ...details },
    });
    throw err;
  }

  private async audit(c: Checked, mode: Mode, details: Record<string, unknown>): Promise<void> {
    // Acknowledged = durable and chained; a failure rejects with 503 AUDIT_UNAVAILABLE and nothing is sent.
    await this.auditLog.append(c.who, {
      action: ACTIONS[mode],
      target: { type: 'data_resource', id: c.resourceId, institutionId: c.providerId },
      details: {
        grantId: c.grantId,
        credentialId: c.credentialId,
        clientId: c.clientId,
        purposeCode: c.purposeCode,
        ratePerMinute: c.ratePerMinute,
        ...details,
      },
    });
  }

  /** Returns reserved rows a call did not use to the day's volume. */
  private async giveBack(c: Checked, rows: number): Promise<void> {
    if (rows <= 0) return;
    c.reserved -= rows;
    await sql`
      UPDATE grant_usage SET rows = GREATEST(rows - ${rows}::bigint, 0)
      WHERE grant_id = ${c.grantId} AND kind = 'day'
        AND window_start = date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
    `.execute(this.db);
  }

  /** On a failed call: give the reservation back (a failure to do so must not hide the call's own error). */
  private async giveBackQuietly(c: Checked, _err: unknown): Promise<void> {
    try {
      await this.giveBack(c, c.reserved);
    } catch {
      // the original error is what the caller needs to see
    }
  }

  /** At most every 10 minutes per process, in the background of a call (a failure only delays it). */
  private maybePruneUsage(): void {
    const now = Date.now();
    if (now - this.lastPrune < 10 * 60_000) return;
    this.lastPrune = now;
    void this.pruneUsage().catch(() => {});
  }

  /**
   * Removes counters nothing reads any more: minute windows after 10 minutes (the rate check reads the
   * current one), day windows after USAGE_DAYS_KEPT days (the volume check reads today's, the sharing map
   * the last 30 days; a year and a month keep a full year for annual reviews). One row per grant per day
   * would otherwise grow for ever. Returns the number of rows removed.
   */
  async pruneUsage(): Promise<number> {
    const r = await sql`
      DELETE FROM grant_usage
      WHERE (kind = 'minute' AND window_start < now() - interval '10 minutes')
         OR (kind = 'day' AND window_start < now() - make_interval(days => ${USAGE_DAYS_KEPT}))`.execute(this.db);
    return Number(r.numAffectedRows ?? 0);
  }

  // -------------------------------------------------------------------------------------------------
  // Masking and marking

  private columns(c: Checked, fieldsParam: string | undefined): string[] {
    const asked = listParam(fieldsParam);
    return asked.length > 0 ? asked : c.fields;
  }

  /**
   * The call's filters only on fields the grant holds whose sharing rule keeps the value: filtering on a
   * masked field would reveal the hidden values one guess at a time (422 FILTER_NOT_ALLOWED, audited).
   */
  private async checkFilters(c: Checked, call: GatewayCall, mode: Mode, filters: RowFilterCondition[]): Promise<void> {
    const bad = filters.find((f) => !c.fields.includes(f.field) || !c.prepared.keep.has(f.field));
    if (!bad) return;
    await this.giveBackQuietly(c, null);
    const err = ruleViolation(
      'FILTER_NOT_ALLOWED',
      `不能按字段 ${bad.field} 筛选：只能按授权范围内且共享时不脱敏的字段筛选`,
      `Cannot filter on ${bad.field}: only fields of the grant shared unmasked can be filtered on`,
      { field: bad.field },
    );
    await this.refuse(
      c.who,
      call,
      mode,
      err,
      { clientId: c.clientId, credentialId: c.credentialId, purposeCode: c.purposeCode, field: bad.field },
      {
        type: 'data_resource',
        id: c.resourceId,
        institutionId: c.providerId,
      },
    );
  }

  /** The grant's row filter and the call's (checked) filters: every condition must hold. */
  private filterOf(c: Checked, filters: RowFilterCondition[]): RowPredicate {
    const grant = compileRowFilter(c.rowFilter);
    const call = compileRowFilter(filters);
    return (row) => grant(row) && call(row);
  }

  private maskAndMark(c: Checked, rows: Record<string, unknown>[], columns: string[]): Record<string, unknown>[] {
    const { masker, marker } = c.prepared;
    const masked = masker.tableLevelFields.length > 0 ? masker.table(rows) : rows.map((r) => masker.row(r));
    const out: Record<string, unknown>[] = new Array(masked.length);
    for (let i = 0; i < masked.length; i++) {
      const m = marker.markRow(masked[i] as Record<string, unknown>);
      const o: Record<string, unknown> = {};
      for (const col of columns) o[col] = m[col] ?? null;
      out[i] = o;
    }
    return out;
  }

  /** The compiled masker and marker of the grant's delivery record for the current masking policy. */
  private async prepare(c: Checked, r: CheckRow): Promise<Prepared> {
    let row = r;
    if (!r.delivery_id) row = { ...r, ...(await this.ensureDelivery(c, r.policy_version ?? 0)) };
    const id = row.delivery_id as string;
    const hit = this.prepared.get(id);
    if (hit) return hit;
    const kek = this.kek();
    const stored = row.delivery_fields as (FieldSpec & { rule?: MaskRule; maskTarget?: MaskTarget })[];
    const maskKey = kek.unwrap(row.mask_key as Buffer, deliveryAad(id, 'mask'));
    const markKey = kek.unwrap(row.mark_key as Buffer, deliveryAad(id, 'mark'));
    const masker = this.masking.masker(
      {
        scenario: 'sharing',
        fields: stored.map((f) => ({ name: f.name, target: f.maskTarget as MaskTarget, level: 'core' })),
        rules: Object.fromEntries(stored.map((f) => [f.name, f.rule ?? { method: 'suppress' }])),
      },
      maskKey,
    );
    const prepared: Prepared = {
      deliveryId: id,
      fields: stored.map((f) => f.name),
      masker,
      marker: createMarker(row.mark_plan as MarkPlan, markKey),
      keep: new Set(stored.filter((f) => f.rule?.method === 'keep').map((f) => f.name)),
      dataTypes: Object.fromEntries(stored.map((f) => [f.name, f.dataType])),
    };
    if (this.prepared.size >= 1000) this.prepared.clear();
    this.prepared.set(id, prepared);
    return prepared;
  }

  /**
   * The grant's delivery record for a masking-policy version, created on first use: the masking rules of the
   * granted fields (scenario 'sharing'), the watermark plan, and fresh masking and mark keys wrapped by the
   * KEK — so POST /api/trace attributes a leaked gateway output to the grant's recipient. Two processes
   * creating it at once: one insert wins (primary key), the other reads the winner's.
   */
  private async ensureDelivery(c: Checked, policyVersion: number) {
    const actor = gatewayActor(c.providerId);
    const profile = await this.resources.protectionProfile(actor, c.resourceId);
    const granted = new Set(c.fields);
    const sub = { ...profile, fields: profile.fields.filter((f) => granted.has(f.name)) };
    const policy = await this.masking.resolve(this.db, sub, 'sharing');
    const current = await this.datasets.current(this.db, c.resourceId);
    const targets = Object.fromEntries(policy.fields.map((f) => [f.name, f.target]));
    const specs = fieldSpecs(sub, current?.layout ?? [], policy.rules, targets);
    const plan = planMarks(specs);
    const grant = await this.db
      .selectFrom('share_grants as g')
      .innerJoin('institutions as i', 'i.id', 'g.recipient_institution_id')
      .innerJoin('share_agreements as a', 'a.id', 'g.agreement_id')
      .select(['g.purpose', 'g.number', 'i.name as recipient', 'a.text_sm3'])
      .where('g.id', '=', c.grantId)
      .executeTakeFirstOrThrow();
    const id = uuidv7();
    const kek = this.kek();
    const maskKey = randomBytes(32);
    const markKey = randomBytes(32);
    const fields = specs.map((s) => ({ ...s, rule: policy.rules[s.name], maskTarget: targets[s.name] }));
    const won = await this.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('deliveries')
          .values({
            id,
            resource_id: c.resourceId,
            institution_id: c.providerId,
            recipient: grant.recipient,
            purpose: `${grant.purpose}（共享授权 ${grant.number}）`,
            scenario: 'sharing',
            format: 'jsonl',
            dataset_version: current?.version ?? 0,
            // The gateway's output is many pages, not one file: the record counts no rows (the usage windows
            // and the audit log do) and names the signed agreement's SM3 in place of a file hash.
            row_count: 0,
            fields: JSON.stringify(fields),
            mark_plan: JSON.stringify(plan),
            file_sm3: grant.text_sm3,
            kek_id: kek.id,
            mark_key: kek.wrap(markKey, deliveryAad(id, 'mark')),
            mask_key: kek.wrap(maskKey, deliveryAad(id, 'mask')),
            created_by: null,
          })
          .execute();
        const ins = await trx
          .insertInto('grant_deliveries')
          .values({ grant_id: c.grantId, policy_version: policyVersion, delivery_id: id })
          .onConflict((oc) => oc.columns(['grant_id', 'policy_version']).doNothing())
          .returning('delivery_id')
          .executeTakeFirst();
        if (!ins) throw new LostRace();
        return true;
      })
      .catch((err) => {
        if (err instanceof LostRace) return false;
        throw err;
      });
    markKey.fill(0);
    maskKey.fill(0);
    const row = await this.db
      .selectFrom('grant_deliveries as x')
      .innerJoin('deliveries as d', 'd.id', 'x.delivery_id')
      .select(['d.id', 'd.fields', 'd.mark_plan', 'd.mark_key', 'd.mask_key'])
      .where('x.grant_id', '=', c.grantId)
      .where('x.policy_version', '=', policyVersion)
      .executeTakeFirstOrThrow();
    void won;
    return {
      delivery_id: row.id,
      delivery_fields: row.fields as unknown as CheckRow['delivery_fields'],
      mark_plan: row.mark_plan as unknown as MarkPlan,
      mark_key: row.mark_key,
      mask_key: row.mask_key,
    };
  }
}

class LostRace extends Error {}

/**
 * The gateway reading the provider's resource profile on the platform's behalf (no person is involved):
 * catalog.read over the provider institution only.
 */
function gatewayActor(providerId: string): Actor {
  return {
    userId: null as unknown as string,
    username: 'gateway',
    displayName: '数据服务网关',
    institutionId: providerId,
    institutionKind: 'department',
    roles: [],
    permissions: new Map([['catalog.read', new Set([providerId])]]),
    visible: new Set([providerId]),
    tokenScopes: null,
    sessionId: null,
    ip: null,
    requestId: null,
    lang: 'zh',
  };
}
