// LIF-7 (open data): before a resource's data is released, check it is k-anonymous (and l-diverse) over
// the quasi-identifiers chosen, and find the generalisations that make it so. Only statistics leave: no
// value of the data is in the answer.
import { badRequest, ruleViolation } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import { AnonymityOptionsError, checkAnonymity, HierarchyError, type QuasiIdentifier, searchGeneralisation } from '../../engines/masking/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { assertCan } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { AnonymityRequest, AnonymityResult } from './anonymity.schemas.ts';
import type { DatasetsService, ProfileSource } from './datasets.service.ts';

const RESOURCE = { zh: '数据资源', en: 'Data resource' };
/** Rows examined in one check (the lattice search holds them in memory). */
export const ANONYMITY_MAX_ROWS = 500_000;

export class AnonymityService {
  constructor(
    private readonly db: Db,
    private readonly resources: ProfileSource,
    private readonly datasets: DatasetsService,
  ) {}

  /** POST /api/resources/:id/anonymity */
  async check(actor: Actor, resourceId: string, body: AnonymityRequest): Promise<AnonymityResult> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'protection.read', profile.institutionId, RESOURCE);
    const names = new Set(profile.fields.map((f) => f.name));
    for (const [i, q] of body.quasiIdentifiers.entries()) {
      if (!names.has(q.field))
        throw badRequest('FIELD_UNKNOWN', `“${q.field}”不是该资源的数据项`, `"${q.field}" is not a field of the resource`, {
          field: `quasiIdentifiers.${i}.field`,
        });
    }
    if (body.sensitive !== undefined && !names.has(body.sensitive)) {
      throw badRequest('FIELD_UNKNOWN', `“${body.sensitive}”不是该资源的数据项`, `"${body.sensitive}" is not a field of the resource`, { field: 'sensitive' });
    }
    const current = await this.datasets.current(this.db, resourceId);
    if (!current) throw ruleViolation('DATASET_EMPTY', '该数据资源尚未载入数据', 'The resource has no data loaded');
    if (current.rowCount > ANONYMITY_MAX_ROWS)
      throw ruleViolation('DATASET_TOO_LARGE', `数据超过 ${ANONYMITY_MAX_ROWS} 行`, `More than ${ANONYMITY_MAX_ROWS} rows`);
    const wanted = [...new Set([...body.quasiIdentifiers.map((q) => q.field), ...(body.sensitive ? [body.sensitive] : [])])];
    const rows: Record<string, unknown>[] = [];
    for await (const r of this.datasets.openRows(this.db, resourceId)) rows.push(Object.fromEntries(wanted.map((f) => [f, r.values[f] ?? null])));
    try {
      const report = checkAnonymity(rows, {
        quasiIdentifiers: body.quasiIdentifiers.map((q) => q.field),
        k: body.k,
        ...(body.sensitive ? { sensitive: body.sensitive } : {}),
        ...(body.l ? { l: body.l } : {}),
      });
      const search = searchGeneralisation(rows, {
        quasiIdentifiers: body.quasiIdentifiers as unknown as QuasiIdentifier[],
        k: body.k,
        maxSuppression: body.maxSuppression ?? 0,
        ...(body.sensitive ? { sensitive: body.sensitive } : {}),
        ...(body.l ? { l: body.l } : {}),
      });
      const result: AnonymityResult = {
        current: {
          rows: report.rows,
          classes: report.classes,
          smallestClass: report.smallestClass,
          violatingClasses: report.violatingClasses,
          violatingRows: report.violatingRows,
          kAnonymous: report.kAnonymous,
          lDiverse: report.lDiversity ? report.lDiversity.lDiverse : null,
        },
        search: {
          found: search.found,
          best: search.best,
          minimal: search.minimal.slice(0, 20),
          latticeSize: search.latticeSize,
          evaluated: search.evaluated,
          complete: search.complete,
          lossMeasure: search.lossMeasure,
        },
      };
      await recordAudit(this.db, actor, {
        action: 'protection.anonymity.check',
        target: { type: 'data_resource', id: resourceId, institutionId: profile.institutionId },
        details: { quasiIdentifiers: wanted, k: body.k, l: body.l ?? null, kAnonymous: report.kAnonymous, found: search.found },
      });
      return result;
    } catch (err) {
      if (err instanceof HierarchyError || err instanceof AnonymityOptionsError) {
        throw badRequest('ANONYMITY_INVALID', `参数有误：${err.message}`, `Invalid parameters: ${err.message}`);
      }
      throw err;
    }
  }
}
