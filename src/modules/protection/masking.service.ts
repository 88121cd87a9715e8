// Masking policies per resource (PRT-4, DG-15, LIF-7): what each field holds (its masking target, inferred
// from the catalog labels or set by the security officer) and the rule per scenario: the default of the
// field's grade under the published scheme (CLS-5: the level's masking mode for the scenario), or the
// officer's override. The gateway, test copies and previews all mask through `masker()`.
import { badRequest, conflict } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { isLevel, type Level } from '../../engines/grading/levels.ts';
import {
  CONTROL_SCENARIO,
  compileMasker,
  defaultRuleFor,
  isMaskTarget,
  MASK_SCENARIOS,
  type Masker,
  type MaskField,
  type MaskRule,
  type MaskScenario,
  type MaskTarget,
  methodsFor,
  validatePolicy,
} from '../../engines/masking/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import type { ProtectionProfile } from '../catalog/resources.service.ts';
import { assertCan } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { ProfileSource } from './datasets.service.ts';
import type { MaskingUpdate, MaskingView } from './masking.schemas.ts';

const RESOURCE = { zh: '数据资源', en: 'Data resource' };

/** Catalog PI types → masking targets; fields without a PI label go by their data type. */
const PI_TARGET: Record<string, MaskTarget> = {
  name: 'name',
  id_number: 'resident_id',
  phone: 'mobile',
  email: 'email',
  address: 'address',
  birth_date: 'birth_date',
  financial_account: 'bank_card',
  vehicle: 'plate',
};
const TYPE_TARGET: Record<string, MaskTarget> = { integer: 'integer', decimal: 'decimal', date: 'date', datetime: 'datetime' };

export function inferTarget(field: { dataType: string; piType: string | null }): MaskTarget {
  if (field.piType && PI_TARGET[field.piType]) return PI_TARGET[field.piType] as MaskTarget;
  return TYPE_TARGET[field.dataType] ?? 'text';
}

/** The grade masking works from: the field's level, or the strictest (core) where none is known (fail safe). */
const levelOf = (level: string | null): Level => (level && isLevel(level) ? level : 'core');

type Stored = { targets: Record<string, string>; rules: Record<string, Record<string, MaskRule>>; version: number };

export interface ResolvedPolicy {
  scenario: MaskScenario;
  fields: MaskField[];
  /** Every field's rule (defaults filled in). */
  rules: Record<string, MaskRule>;
}

export class MaskingService {
  constructor(
    private readonly db: Db,
    private readonly resources: ProfileSource,
  ) {}

  /** GET /api/resources/:id/masking: every field's target and, per scenario, its rule and where it comes from. */
  async view(actor: Actor, resourceId: string): Promise<MaskingView> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'protection.read', profile.institutionId, RESOURCE);
    return this.describe(profile, await this.stored(this.db, resourceId));
  }

  /** PUT /api/resources/:id/masking (the security officer): targets and per-scenario overrides; null restores a default. */
  async update(actor: Actor, resourceId: string, body: MaskingUpdate): Promise<MaskingView> {
    const profile = await this.resources.protectionProfile(actor, resourceId);
    assertCan(actor, 'masking.manage', profile.institutionId, RESOURCE);
    const names = new Set(profile.fields.map((f) => f.name));
    await this.db.transaction().execute(async (trx) => {
      const current = await this.stored(trx, resourceId, true);
      if (current.version !== body.version) {
        throw conflict('VERSION_CONFLICT', '脱敏规则已被他人修改，请刷新后重试', 'The masking policy changed meanwhile; reload and retry', {
          current: current.version,
        });
      }
      const targets = { ...current.targets };
      for (const [field, target] of Object.entries(body.targets ?? {})) {
        if (!names.has(field))
          throw badRequest('FIELD_UNKNOWN', `“${field}”不是该资源的数据项`, `"${field}" is not a field of the resource`, { field: `targets.${field}` });
        if (target === null) delete targets[field];
        else if (!isMaskTarget(target))
          throw badRequest('TARGET_UNKNOWN', `未知的脱敏对象类型：${target}`, `Unknown masking target: ${target}`, { field: `targets.${field}` });
        else targets[field] = target;
      }
      const rules: Record<string, Record<string, MaskRule>> = structuredClone(current.rules);
      for (const [scenario, changes] of Object.entries(body.rules ?? {})) {
        const next = { ...(rules[scenario] ?? {}) };
        for (const [field, rule] of Object.entries(changes)) {
          if (rule === null) delete next[field];
          else next[field] = rule as MaskRule;
        }
        rules[scenario] = next;
      }
      // Every scenario's overrides must hold for the fields as they are now (targets included).
      const fields = this.maskFields(profile, targets);
      const errors = Object.entries(rules).flatMap(([scenario, r]) =>
        validatePolicy({ scenario, rules: r }, fields).map((e) => ({
          scenario,
          field: e.field.replace(/^rules\./, ''),
          code: e.code,
          message: e.messageZh,
          messageEn: e.message,
        })),
      );
      if (errors.length > 0) {
        const first = errors[0] as (typeof errors)[number];
        throw badRequest('MASKING_POLICY_INVALID', `脱敏规则有误：${first.message}`, `Invalid masking policy: ${first.messageEn}`, { errors });
      }
      await trx
        .insertInto('masking_policies')
        .values({
          resource_id: resourceId,
          institution_id: profile.institutionId,
          targets: JSON.stringify(targets),
          rules: JSON.stringify(rules),
          updated_by: actor.userId,
        })
        .onConflict((oc) =>
          oc.column('resource_id').doUpdateSet((eb) => ({
            targets: JSON.stringify(targets),
            rules: JSON.stringify(rules),
            version: eb('masking_policies.version', '+', 1),
            updated_by: actor.userId,
            updated_at: new Date(),
          })),
        )
        .execute();
      await recordAudit(trx, actor, {
        action: 'protection.masking.update',
        target: { type: 'data_resource', id: resourceId, institutionId: profile.institutionId },
        details: { targets: body.targets ?? {}, rules: body.rules ?? {} },
      });
    });
    return this.describe(profile, await this.stored(this.db, resourceId));
  }

  /** The policy for a scenario, every rule filled in: for callers that have checked the actor already. */
  async resolve(db: Executor, profile: ProtectionProfile, scenario: MaskScenario): Promise<ResolvedPolicy> {
    const stored = await this.stored(db, profile.resourceId);
    const fields = this.maskFields(profile, stored.targets);
    const overrides = stored.rules[scenario] ?? {};
    const rules: Record<string, MaskRule> = {};
    for (const f of fields) rules[f.name] = overrides[f.name] ?? this.defaultRule(profile, f, scenario);
    return { scenario, fields, rules };
  }

  /** A compiled masker for a resolved policy and a key (per grant, per test copy, per resource for display). */
  masker(policy: ResolvedPolicy, key: Buffer): Masker {
    return compileMasker({ scenario: policy.scenario, rules: policy.rules }, policy.fields, key);
  }

  private defaultRule(profile: ProtectionProfile, f: MaskField, scenario: MaskScenario): MaskRule {
    const controls = profile.fields.find((p) => p.name === f.name)?.controls ?? profile.controls;
    return defaultRuleFor(f.target, scenario, f.level, controls.masking[CONTROL_SCENARIO[scenario]]);
  }

  private maskFields(profile: ProtectionProfile, targets: Record<string, string>): MaskField[] {
    return profile.fields.map((f) => {
      const set = targets[f.name];
      return { name: f.name, target: set && isMaskTarget(set) ? set : inferTarget(f), level: levelOf(f.level) };
    });
  }

  private async stored(db: Executor, resourceId: string, lock = false): Promise<Stored> {
    let q = db.selectFrom('masking_policies').select(['targets', 'rules', 'version']).where('resource_id', '=', resourceId);
    if (lock) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? { targets: row.targets, rules: row.rules as Stored['rules'], version: row.version } : { targets: {}, rules: {}, version: 0 };
  }

  private describe(profile: ProtectionProfile, stored: Stored): MaskingView {
    const fields = this.maskFields(profile, stored.targets);
    return {
      resourceId: profile.resourceId,
      version: stored.version,
      fields: profile.fields.map((p, i) => {
        const f = fields[i] as MaskField;
        return {
          name: p.name,
          dataType: p.dataType,
          piType: p.piType,
          level: p.level,
          basis: p.basis,
          target: f.target,
          targetSource: stored.targets[p.name] ? ('set' as const) : ('inferred' as const),
          methods: methodsFor(f.target),
        };
      }),
      scenarios: MASK_SCENARIOS.map((scenario) => ({
        scenario,
        fields: fields.map((f) => {
          const override = stored.rules[scenario]?.[f.name];
          const controls = profile.fields.find((p) => p.name === f.name)?.controls ?? profile.controls;
          return {
            name: f.name,
            mode: controls.masking[CONTROL_SCENARIO[scenario]],
            rule: (override ?? this.defaultRule(profile, f, scenario)) as MaskingView['scenarios'][number]['fields'][number]['rule'],
            source: override ? ('override' as const) : ('default' as const),
          };
        }),
      })),
    };
  }
}
