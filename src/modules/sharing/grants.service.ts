// Grants (LIF-3, LIF-5, LIF-6) and their client credentials. A grant is created by the agreement's second
// signature (agreements.service); this service lists and shows grants, revokes them (the provider, or the
// authority over the provider; a deletion duty opens in the same transaction, LIF-10 / DG-12), lists the
// gateway calls made under one (from the audit log) and manages the recipient systems' credentials.
//
// Reach: a grant is visible when its recipient or its provider institution is within the caller's
// sharing.read reach (else 404); acting on a visible grant without the permission is 403.
import { sql } from 'kysely';
import { badRequest, conflict, forbidden, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { RowFilterCondition } from '../../db/schema.ts';
import type { Dg12Case } from '../../engines/sharing/dg12.ts';
import { beijingDayStart } from '../../engines/sharing/rate-window.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { can, canAnywhere, canSee, reachFilter } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { Kek } from '../protection/kek.ts';
import type { WorkdaysService } from '../workdays/workdays.service.ts';
import { newCredential, SecretMac } from './credentials.ts';
import { openDeletionDuty } from './duties.open.ts';
import type {
  GrantCall,
  GrantCredential,
  GrantCredentialCreate,
  GrantCredentialCreated,
  GrantRevoke,
  GrantRevokeResult,
  ShareGrant,
  ShareGrantPage,
  ShareGrantQuery,
} from './grants.schemas.ts';

const GRANT = { zh: '共享授权', en: 'Sharing grant' };
const CREDENTIAL = { zh: '接口凭证', en: 'Client credential' };
/** Credentials per grant (active or not) — a recipient has a handful of systems, not thousands. */
const MAX_CREDENTIALS = 50;

export const grantNotActive = (status: string) =>
  conflict('GRANT_NOT_ACTIVE', `该授权已${status === 'revoked' ? '撤销' : '到期'}，不能再操作`, `The grant is already ${status}`, { status });

interface GrantRow {
  id: string;
  number: string;
  request_id: string;
  agreement_id: string;
  resource_id: string;
  resource_name: string;
  provider_institution_id: string;
  provider_name: string;
  recipient_institution_id: string;
  recipient_name: string;
  fields: string[];
  row_filter: RowFilterCondition[] | null;
  purpose: string;
  purpose_code: string;
  scenario: string;
  method: 'interface' | 'file';
  aggregate_only: boolean;
  min_group_size: number;
  term_start: string;
  term_end: string;
  rate_per_minute: number;
  rows_per_day: number;
  status: 'active' | 'revoked' | 'expired';
  status_reason: string | null;
  status_changed_at: Date | null;
  created_at: Date;
  calls_today: number | null;
  rows_today: string | number | null;
}

export class ShareGrantsService {
  private readonly macs: SecretMac;

  constructor(
    private readonly db: Db,
    private readonly workdays: WorkdaysService,
    kek: () => Kek,
  ) {
    this.macs = new SecretMac(kek);
  }

  private base(db: Executor) {
    const day = beijingDayStart(new Date());
    return db
      .selectFrom('share_grants as g')
      .innerJoin('data_resources as r', 'r.id', 'g.resource_id')
      .innerJoin('institutions as p', 'p.id', 'g.provider_institution_id')
      .innerJoin('institutions as rc', 'rc.id', 'g.recipient_institution_id')
      .leftJoin('grant_usage as u', (j) => j.onRef('u.grant_id', '=', 'g.id').on('u.kind', '=', 'day').on('u.window_start', '=', day))
      .select([
        'g.id',
        'g.number',
        'g.request_id',
        'g.agreement_id',
        'g.resource_id',
        'r.name as resource_name',
        'g.provider_institution_id',
        'p.name as provider_name',
        'g.recipient_institution_id',
        'rc.name as recipient_name',
        'g.fields',
        'g.row_filter',
        'g.purpose',
        'g.purpose_code',
        'g.scenario',
        'g.method',
        'g.aggregate_only',
        'g.min_group_size',
        sql<string>`to_char(g.term_start, 'YYYY-MM-DD')`.as('term_start'),
        sql<string>`to_char(g.term_end, 'YYYY-MM-DD')`.as('term_end'),
        'g.rate_per_minute',
        'g.rows_per_day',
        'g.status',
        'g.status_reason',
        'g.status_changed_at',
        'g.created_at',
        'u.calls as calls_today',
        'u.rows as rows_today',
      ]);
  }

  private view(actor: Actor, r: GrantRow): ShareGrant {
    return {
      id: r.id,
      number: r.number,
      requestId: r.request_id,
      agreementId: r.agreement_id,
      resource: { id: r.resource_id, name: r.resource_name },
      provider: { id: r.provider_institution_id, name: r.provider_name },
      recipient: { id: r.recipient_institution_id, name: r.recipient_name },
      fields: r.fields,
      rowFilter: r.row_filter && r.row_filter.length > 0 ? r.row_filter : null,
      purpose: r.purpose,
      purposeCode: r.purpose_code,
      scenario: r.scenario,
      method: r.method,
      aggregateOnly: r.aggregate_only,
      minGroupSize: r.min_group_size,
      termStart: r.term_start,
      termEnd: r.term_end,
      ratePerMinute: r.rate_per_minute,
      rowsPerDay: r.rows_per_day,
      status: r.status,
      statusReason: r.status_reason,
      statusChangedAt: r.status_changed_at ? r.status_changed_at.toISOString() : null,
      createdAt: r.created_at.toISOString(),
      usage: { callsToday: Number(r.calls_today ?? 0), rowsToday: Number(r.rows_today ?? 0) },
      can: {
        revoke: r.status === 'active' && this.mayRevoke(actor, r.provider_institution_id),
        manageCredentials: r.status === 'active' && can(actor, 'sharing.apply', r.recipient_institution_id),
      },
    };
  }

  private mayRevoke(actor: Actor, providerId: string): boolean {
    return can(actor, 'sharing.provide', providerId) || can(actor, 'sharing.approve', providerId);
  }

  /** A grant within the caller's sharing.read reach (recipient or provider side), else 404. */
  private async load(db: Executor, actor: Actor, id: string, lock = false): Promise<GrantRow> {
    // No sharing permission at all (platform administrator, vendor staff): 403 whatever the record.
    if (!canAnywhere(actor, 'sharing.read')) throw forbidden();
    if (lock) await db.selectFrom('share_grants').select('id').where('id', '=', id).forUpdate().execute();
    const row = (await this.base(db).where('g.id', '=', id).executeTakeFirst()) as GrantRow | undefined;
    if (!row) throw notFound(GRANT);
    const reach = reachFilter(actor, 'sharing.read');
    if (reach !== null && !reach.includes(row.recipient_institution_id) && !reach.includes(row.provider_institution_id)) {
      // Known institution, no permission to read its sharing records: 403; out of sight: 404 (no hint).
      if (canSee(actor, row.recipient_institution_id) || canSee(actor, row.provider_institution_id)) throw forbidden();
      throw notFound(GRANT);
    }
    return row;
  }

  /** GET /api/share-grants */
  async list(actor: Actor, query: ShareGrantQuery): Promise<ShareGrantPage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const reach = reachFilter(actor, 'sharing.read');
    if (reach !== null && reach.length === 0) throw forbidden();
    let q = this.base(this.db);
    if (reach !== null) {
      if (query.role === 'recipient') q = q.where('g.recipient_institution_id', 'in', reach);
      else if (query.role === 'provider') q = q.where('g.provider_institution_id', 'in', reach);
      else q = q.where((eb) => eb.or([eb('g.recipient_institution_id', 'in', reach), eb('g.provider_institution_id', 'in', reach)]));
    } else if (query.role) {
      // Platform-wide reach: the role narrows to the caller's own institution's side.
      q = q.where(query.role === 'recipient' ? 'g.recipient_institution_id' : 'g.provider_institution_id', '=', actor.institutionId);
    }
    if (query.status) q = q.where('g.status', '=', query.status);
    if (query.resourceId) q = q.where('g.resource_id', '=', query.resourceId);
    const [rows, total] = await Promise.all([
      q
        .orderBy('g.created_at', 'desc')
        .orderBy('g.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q
        .clearSelect()
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: (rows as GrantRow[]).map((r) => this.view(actor, r)), total: Number(total.n), page, pageSize };
  }

  /** GET /api/share-grants/:id */
  async get(actor: Actor, id: string): Promise<ShareGrant> {
    return this.view(actor, await this.load(this.db, actor, id));
  }

  /**
   * POST /api/share-grants/:id/revoke (LIF-10, DG-12): the provider (sharing.provide) or the authority over
   * it (sharing.approve). The grant stops at once (the gateway reads its status on every call) and a
   * deletion duty opens for the recipient in the same transaction.
   */
  async revoke(actor: Actor, id: string, body: GrantRevoke): Promise<GrantRevokeResult> {
    const reason = body.reason.trim();
    if (!reason) throw ruleViolation('REASON_REQUIRED', '请填写撤销理由', 'Give the reason for revoking');
    const caseCode: Dg12Case = body.case ?? 'purpose_achieved';
    const dutyId = await this.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id, true);
      if (!this.mayRevoke(actor, row.provider_institution_id)) throw forbidden();
      if (row.status !== 'active') throw grantNotActive(row.status);
      await trx
        .updateTable('share_grants')
        .set({ status: 'revoked', status_reason: reason, status_changed_at: new Date(), status_changed_by: actor.userId, version: sql`version + 1` })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, actor, {
        action: 'sharing.grant.revoke',
        target: { type: 'share_grant', id, institutionId: row.recipient_institution_id },
        details: { grantId: id, number: row.number, resourceId: row.resource_id, providerInstitutionId: row.provider_institution_id, reason, case: caseCode },
      });
      return openDeletionDuty(trx, this.workdays, { grantId: id, caseCode, reason, openedBy: actor });
    });
    return { grant: await this.get(actor, id), deletionDutyId: dutyId };
  }

  /** GET /api/share-grants/:id/calls: the grant's recent gateway calls, newest first, from the audit log. */
  async calls(actor: Actor, id: string, limit = 100): Promise<GrantCall[]> {
    await this.load(this.db, actor, id);
    const rows = await this.db
      .selectFrom('audit_events')
      .select(['id', 'occurred_at', 'action', 'outcome', 'details', 'ip', 'actor_username'])
      .where(sql<boolean>`details ? 'grantId'`)
      .where(sql<string>`details->>'grantId'`, '=', id)
      .where('action', 'like', 'sharing.gateway.%')
      .orderBy('seq', 'desc')
      .limit(Math.min(Math.max(limit, 1), 500))
      .execute();
    return rows.map((r) => {
      const d = (r.details ?? {}) as Record<string, unknown>;
      const str = (v: unknown) => (typeof v === 'string' ? v : null);
      return {
        eventId: r.id,
        at: r.occurred_at.toISOString(),
        action: r.action,
        outcome: r.outcome,
        clientId: str(d.clientId),
        credentialId: str(d.credentialId),
        purposeCode: str(d.purposeCode),
        rows: typeof d.rows === 'number' ? d.rows : null,
        code: str(d.code),
        ip: r.ip,
      };
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Credentials (sharing.apply at the recipient)

  private async forCredentials(db: Executor, actor: Actor, id: string, lock = false): Promise<GrantRow> {
    const row = await this.load(db, actor, id, lock);
    if (!can(actor, 'sharing.apply', row.recipient_institution_id)) throw forbidden();
    return row;
  }

  /** GET /api/share-grants/:id/credentials (never the secrets). */
  async credentials(actor: Actor, id: string): Promise<GrantCredential[]> {
    await this.forCredentials(this.db, actor, id);
    const rows = await this.db.selectFrom('grant_credentials').selectAll().where('grant_id', '=', id).orderBy('created_at').execute();
    return rows.map(credentialView);
  }

  /** POST /api/share-grants/:id/credentials: a new client credential; the secret is shown only in this answer. */
  async createCredential(actor: Actor, id: string, body: GrantCredentialCreate): Promise<GrantCredentialCreated> {
    const name = body.name.trim();
    if (!name) throw badRequest('VALIDATION_FAILED', '请填写凭证名称', 'Give the credential a name', { field: 'name' });
    const made = newCredential();
    const credId = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      const grant = await this.forCredentials(trx, actor, id, true);
      if (grant.status !== 'active') throw grantNotActive(grant.status);
      const n = await trx
        .selectFrom('grant_credentials')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('grant_id', '=', id)
        .executeTakeFirstOrThrow();
      if (Number(n.n) >= MAX_CREDENTIALS)
        throw conflict('TOO_MANY_CREDENTIALS', `每个授权最多 ${MAX_CREDENTIALS} 个接口凭证`, `At most ${MAX_CREDENTIALS} credentials per grant`);
      await trx
        .insertInto('grant_credentials')
        .values({ id: credId, grant_id: id, client_id: made.clientId, name, secret_mac: this.macs.mac(made.secret), created_by: actor.userId })
        .execute();
      await recordAudit(trx, actor, {
        action: 'sharing.credential.create',
        target: { type: 'share_grant', id, institutionId: grant.recipient_institution_id },
        details: { grantId: id, credentialId: credId, clientId: made.clientId, name },
      });
    });
    const row = await this.db.selectFrom('grant_credentials').selectAll().where('id', '=', credId).executeTakeFirstOrThrow();
    return { credential: credentialView(row), secret: made.secret, token: made.token };
  }

  /** DELETE /api/share-grants/:id/credentials/:credentialId: revoked at once (the next call is refused). */
  async revokeCredential(actor: Actor, id: string, credentialId: string): Promise<GrantCredential> {
    await this.db.transaction().execute(async (trx) => {
      const grant = await this.forCredentials(trx, actor, id);
      const cred = await trx
        .selectFrom('grant_credentials')
        .select(['id', 'status', 'client_id'])
        .where('id', '=', credentialId)
        .where('grant_id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!cred) throw notFound(CREDENTIAL);
      if (cred.status === 'revoked') return;
      await trx
        .updateTable('grant_credentials')
        .set({ status: 'revoked', revoked_at: new Date(), revoked_by: actor.userId })
        .where('id', '=', credentialId)
        .execute();
      await recordAudit(trx, actor, {
        action: 'sharing.credential.revoke',
        target: { type: 'share_grant', id, institutionId: grant.recipient_institution_id },
        details: { grantId: id, credentialId, clientId: cred.client_id },
      });
    });
    const row = await this.db.selectFrom('grant_credentials').selectAll().where('id', '=', credentialId).executeTakeFirstOrThrow();
    return credentialView(row);
  }
}

function credentialView(r: {
  id: string;
  client_id: string;
  name: string;
  status: 'active' | 'revoked';
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): GrantCredential {
  return {
    id: r.id,
    clientId: r.client_id,
    name: r.name,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at ? r.last_used_at.toISOString() : null,
    revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
  };
}
