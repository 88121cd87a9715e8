// The data security protection agreement of a share request and its two SM2 signatures (LIF-4, HZ-22,
// DG-17; docs/sharing-contract.md "Agreements and signatures").
//
// - The platform writes the text at the request's last approval (engine sharing/agreement-text.ts) with its
//   SM3; a trigger keeps text and hash fixed (migration 0010).
// - Each party signs in person: sharing.apply at the applicant institution, sharing.provide at the provider.
//   The person re-authenticates (password, and TOTP when enrolled; a wrong one counts toward the lockout),
//   then their own SM2 key (signing-keys.ts, created on first use) signs the UTF-8 text with the standard
//   user ID 1234567812345678, so `openssl dgst -sm3 -verify` checks it outside the platform.
// - The second signature, the agreement's `signed` status, the request's `granted` status and the grant row
//   are written in ONE transaction: a grant without a signed agreement cannot exist (LIF-4's check).
import { sql } from 'kysely';
import { AppError, conflict, forbidden, notFound } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { RowFilterCondition, ShareAssociationSnapshot, ShareRequestsTable } from '../../db/schema.ts';
import { keyFingerprint } from '../../engines/audit-chain/index.ts';
import { importSm2PublicKey, SM2_DEFAULT_USER_ID, sm2Sign, sm2Verify } from '../../engines/gm/index.ts';
import { isLevel, LEVEL_INFO } from '../../engines/grading/levels.ts';
import { agreementText, agreementTextSm3 } from '../../engines/sharing/agreement-text.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import type { AuthService } from '../auth/auth.service.ts';
import { beijingToday } from '../catalog/deadlines.ts';
import type { ResourceDetail } from '../catalog/resources.schemas.ts';
import type { ResourcesService } from '../catalog/resources.service.ts';
import { assertCanAnywhere, can } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import type { AgreementBundle, AgreementSign, AgreementVerification, ShareAgreement } from './agreements.schemas.ts';
import type { ShareRequestsService } from './requests.service.ts';
import type { SigningKeys } from './signing-keys.ts';

const AGREEMENT = { zh: '数据安全保护协议', en: 'Agreement' };
type Party = 'applicant' | 'provider';
type RequestRow = import('kysely').Selectable<ShareRequestsTable>;

/**
 * The next number of a sharing record for the current Beijing year: PREFIX-YYYY-NNNNNN (GX 共享申请,
 * XY 协议, SQ 授权). Serialised per prefix by a transaction lock, so two submissions never take one number.
 */
export async function nextNumber(trx: Executor, table: 'share_requests' | 'share_agreements' | 'share_grants', prefix: string): Promise<string> {
  const year = beijingToday().slice(0, 4);
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`shuan.sharing.number:${prefix}`}))`.execute(trx);
  const head = `${prefix}-${year}-`;
  const row = await sql<{ n: number }>`
    SELECT coalesce(max(substring(number from ${head.length + 1}::int)::int), 0) + 1 AS n
    FROM ${sql.table(table)} WHERE number LIKE ${`${head}%`} AND number ~ ${`^${prefix}-${year}-[0-9]+$`}`.execute(trx);
  return `${head}${String(row.rows[0]?.n ?? 1).padStart(6, '0')}`;
}

/** Writes the agreement text for an approved request (inside the last decision's transaction); returns its id. */
export async function draftAgreement(trx: Executor, row: RequestRow, resource: ResourceDetail): Promise<string> {
  const insts = await trx
    .selectFrom('institutions')
    .select(['id', 'name', 'code'])
    .where('id', 'in', [row.provider_institution_id, row.applicant_institution_id])
    .execute();
  const inst = (id: string) => {
    const i = insts.find((x) => x.id === id);
    return { name: i?.name ?? '', code: i?.code ?? null };
  };
  const fields = (row.fields as string[]).map((name) => ({ name, description: resource.fields.find((f) => f.name === name)?.description ?? null }));
  const number = await nextNumber(trx, 'share_agreements', 'XY');
  const exception = row.exception as { legalBasis: string } | null;
  // LIF-8 (HZ-23, GZ-15): a request flagged for association analysis gets the clause naming the linked resources
  // and the measures of the authority's assessment.
  const association = row.association as ShareAssociationSnapshot | null;
  const assessment = association?.flagged
    ? await trx
        .selectFrom('share_association_assessments')
        .select('measures')
        .where('request_id', '=', row.id)
        .orderBy('recorded_at', 'desc')
        .executeTakeFirst()
    : undefined;
  const text = agreementText({
    agreementNumber: number,
    requestNumber: row.number,
    provider: inst(row.provider_institution_id),
    applicant: inst(row.applicant_institution_id),
    resource: { name: resource.name, level: row.level, levelLabel: row.level && isLevel(row.level) ? LEVEL_INFO[row.level].zh : null },
    fields,
    purpose: row.purpose,
    purposeCode: row.purpose_code,
    legalBasis: row.legal_basis,
    scenario: row.scenario,
    rowFilter: (row.row_filter as RowFilterCondition[] | null) ?? null,
    method: row.method,
    termStart: row.term_start,
    termEnd: row.term_end,
    securityMeasures: row.security_measures,
    ratePerMinute: row.rate_per_minute,
    rowsPerDay: row.rows_per_day,
    aggregateOnly: resource.controls.controls.aggregateOnly,
    exception: exception ? { legalBasis: exception.legalBasis } : null,
    association: association?.flagged
      ? {
          linkedResources: association.reasons.flatMap((r) => (r.resourceName ? [r.resourceName] : [])),
          declared: association.reasons.some((r) => r.code === 'DECLARED'),
          measures: assessment?.measures ?? null,
        }
      : null,
  });
  const id = uuidv7();
  const textSm3 = agreementTextSm3(text);
  await trx.insertInto('share_agreements').values({ id, number, request_id: row.id, text, text_sm3: textSm3 }).execute();
  return id;
}

function verifySignature(publicKeyPem: string, text: string, signatureBase64: string): boolean {
  try {
    return sm2Verify(publicKeyPem, Buffer.from(text, 'utf8'), Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

function fingerprintOf(publicKeyPem: string): string {
  try {
    return keyFingerprint(importSm2PublicKey(publicKeyPem));
  } catch {
    return '';
  }
}

export class ShareAgreementsService {
  constructor(
    private readonly db: Db,
    private readonly requests: ShareRequestsService,
    private readonly resources: ResourcesService,
    private readonly auth: AuthService,
    private readonly keys: SigningKeys,
  ) {}

  /** The agreement and its request when the caller may see the request (404 otherwise). */
  private async load(actor: Actor, id: string, db: Executor = this.db, lock = false) {
    // Permission first, as for the request it belongs to: no sharing.read anywhere → 403 before the lookup.
    assertCanAnywhere(actor, 'sharing.read');
    let q = db.selectFrom('share_agreements').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    const agreement = await q.executeTakeFirst();
    if (!agreement) throw notFound(AGREEMENT);
    const request = await db.selectFrom('share_requests').selectAll().where('id', '=', agreement.request_id).executeTakeFirstOrThrow();
    this.requests.assertReadable(actor, request, AGREEMENT);
    return { agreement, request };
  }

  private signatures(db: Executor, agreementId: string) {
    return db
      .selectFrom('agreement_signatures as s')
      .innerJoin('institutions as i', 'i.id', 's.institution_id')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.party',
        's.institution_id',
        'i.name as institution_name',
        's.user_id',
        'u.display_name',
        's.public_key',
        's.signature',
        's.text_sm3',
        's.signed_at',
      ])
      .where('s.agreement_id', '=', agreementId)
      .orderBy('s.signed_at')
      .execute();
  }

  /** The party the actor may sign for: applicant (sharing.apply there) or provider (sharing.provide there), unsigned first. */
  private partyOf(actor: Actor, request: RequestRow, signed: readonly string[]): Party | null {
    const parties: Party[] = [];
    if (can(actor, 'sharing.apply', request.applicant_institution_id)) parties.push('applicant');
    if (can(actor, 'sharing.provide', request.provider_institution_id)) parties.push('provider');
    return parties.find((p) => !signed.includes(p)) ?? parties[0] ?? null;
  }

  /** GET /api/share-agreements/:id. */
  async get(actor: Actor, id: string): Promise<ShareAgreement> {
    const { agreement, request } = await this.load(actor, id);
    const sigs = await this.signatures(this.db, id);
    const grant = await this.db.selectFrom('share_grants').select('id').where('agreement_id', '=', id).executeTakeFirst();
    const names = await this.db
      .selectFrom('institutions')
      .select(['id', 'name'])
      .where('id', 'in', [request.provider_institution_id, request.applicant_institution_id])
      .execute();
    const name = (iid: string) => names.find((n) => n.id === iid)?.name ?? '';
    const signed = sigs.map((s) => s.party);
    const party = this.partyOf(actor, request, signed);
    return {
      id: agreement.id,
      number: agreement.number,
      requestId: request.id,
      requestNumber: request.number,
      provider: { id: request.provider_institution_id, name: name(request.provider_institution_id) },
      applicant: { id: request.applicant_institution_id, name: name(request.applicant_institution_id) },
      text: agreement.text,
      textSm3: agreement.text_sm3,
      status: agreement.status,
      createdAt: agreement.created_at.toISOString(),
      signedAt: agreement.signed_at?.toISOString() ?? null,
      signatures: sigs.map((s) => ({
        party: s.party,
        institution: { id: s.institution_id, name: s.institution_name },
        user: { id: s.user_id, displayName: s.display_name },
        publicKeyFingerprint: fingerprintOf(s.public_key),
        signedAt: s.signed_at.toISOString(),
        valid: s.text_sm3 === agreement.text_sm3 && verifySignature(s.public_key, agreement.text, s.signature),
      })),
      grantId: grant?.id ?? null,
      canSignAs: request.status === 'approved' && party && !signed.includes(party) ? party : null,
    };
  }

  /** POST /api/share-agreements/:id/sign. */
  async sign(actor: Actor, id: string, body: AgreementSign): Promise<ShareAgreement> {
    const pre = await this.load(actor, id);
    const signedBefore = (await this.signatures(this.db, id)).map((s) => s.party);
    const party = this.partyOf(actor, pre.request, signedBefore);
    if (!party) {
      throw forbidden('您不是该协议的签署方（须为申请单位的数据使用人员或提供单位的数据管理人员）', 'You are not a party to this agreement', 'NOT_A_PARTY');
    }
    if (signedBefore.includes(party)) throw this.alreadySigned(party);
    if (pre.request.status !== 'approved') {
      throw conflict('REQUEST_CLOSED', '该申请当前不能签署协议', `The request is ${pre.request.status}; the agreement cannot be signed`, {
        status: pre.request.status,
      });
    }
    // Re-authentication before the person's key is used; failures are audited and count toward the lockout.
    await this.auth.reauthenticate(actor, body.password, body.totpCode, 'sharing.agreement.sign');
    // PRT-9: aggregate-only comes from the resource level's controls at the moment the grant is made.
    const controls = await this.resources.controlsFor(actor, pre.request.resource_id).catch((err: unknown) => {
      if (err instanceof AppError && err.httpStatus === 404) return null;
      throw err;
    });
    await this.db.transaction().execute(async (trx) => {
      const { agreement } = await this.load(actor, id, trx, true);
      const request = await trx.selectFrom('share_requests').selectAll().where('id', '=', agreement.request_id).forUpdate().executeTakeFirstOrThrow();
      const signed = (await trx.selectFrom('agreement_signatures').select('party').where('agreement_id', '=', id).execute()).map((s) => s.party);
      if (signed.includes(party)) throw this.alreadySigned(party);
      if (request.status !== 'approved' || agreement.status !== 'awaiting_signatures') {
        throw conflict('REQUEST_CLOSED', '该申请当前不能签署协议', `The request is ${request.status}; the agreement cannot be signed`, {
          status: request.status,
        });
      }
      const key = await this.keys.keyFor(trx, actor);
      const signature = sm2Sign(key.privateKey, Buffer.from(agreement.text, 'utf8')).toString('base64');
      const institutionId = party === 'applicant' ? request.applicant_institution_id : request.provider_institution_id;
      await trx
        .insertInto('agreement_signatures')
        .values({
          id: uuidv7(),
          agreement_id: id,
          party,
          institution_id: institutionId,
          user_id: actor.userId,
          signing_key_id: key.id,
          public_key: key.publicKeyPem,
          signature,
          text_sm3: agreement.text_sm3,
        })
        .execute();
      await recordAudit(trx, actor, {
        action: 'sharing.agreement.sign',
        target: { type: 'share_agreement', id, institutionId },
        details: { number: agreement.number, requestNumber: request.number, party, textSm3: agreement.text_sm3, keyFingerprint: key.fingerprint },
      });
      if (signed.length + 1 < 2) return;
      // Both parties have signed: the agreement takes effect and the grant exists, together.
      const now = new Date();
      await trx.updateTable('share_agreements').set({ status: 'signed', signed_at: now }).where('id', '=', id).execute();
      await trx
        .updateTable('share_requests')
        .set((eb) => ({ status: 'granted', updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', request.id)
        .execute();
      const minGroup = await trx.selectFrom('settings').select('value').where('key', '=', 'sharing.minGroupSize').executeTakeFirst();
      const minGroupSize = typeof minGroup?.value === 'number' && Number.isInteger(minGroup.value) && minGroup.value >= 2 ? minGroup.value : 10;
      const grantId = uuidv7();
      const grantNumber = await nextNumber(trx, 'share_grants', 'SQ');
      // Fail safe: a resource the signer can no longer read (unpublished meanwhile) gets aggregate-only.
      const aggregateOnly = controls ? controls.controls.aggregateOnly : true;
      await trx
        .insertInto('share_grants')
        .values({
          id: grantId,
          number: grantNumber,
          request_id: request.id,
          agreement_id: id,
          resource_id: request.resource_id,
          provider_institution_id: request.provider_institution_id,
          recipient_institution_id: request.applicant_institution_id,
          fields: JSON.stringify(request.fields),
          row_filter: request.row_filter === null ? null : JSON.stringify(request.row_filter),
          purpose: request.purpose,
          purpose_code: request.purpose_code,
          scenario: request.scenario,
          method: request.method,
          aggregate_only: aggregateOnly,
          min_group_size: minGroupSize,
          term_start: request.term_start,
          term_end: request.term_end,
          rate_per_minute: request.rate_per_minute,
          rows_per_day: request.rows_per_day,
        })
        .execute();
      await recordAudit(trx, actor, {
        action: 'sharing.grant.create',
        target: { type: 'share_grant', id: grantId, institutionId: request.provider_institution_id },
        details: {
          number: grantNumber,
          requestId: request.id,
          agreementId: id,
          resourceId: request.resource_id,
          recipientInstitutionId: request.applicant_institution_id,
          fields: request.fields,
          purposeCode: request.purpose_code,
          aggregateOnly,
          minGroupSize,
          termStart: request.term_start,
          termEnd: request.term_end,
        },
      });
    });
    return this.get(actor, id);
  }

  private alreadySigned(party: Party) {
    return conflict(
      'ALREADY_SIGNED',
      party === 'applicant' ? '申请单位已签署该协议' : '提供单位已签署该协议',
      `The ${party} has already signed this agreement`,
      { party },
    );
  }

  /** GET /api/share-agreements/:id/verify: every signature re-verified against the stored text, its SM3 recomputed. */
  async verify(actor: Actor, id: string): Promise<AgreementVerification> {
    const { agreement } = await this.load(actor, id);
    const sigs = await this.signatures(this.db, id);
    const recomputed = agreementTextSm3(agreement.text);
    const textSm3Valid = recomputed === agreement.text_sm3;
    const signatures = sigs.map((s) => ({
      party: s.party,
      publicKeyFingerprint: fingerprintOf(s.public_key),
      signedAt: s.signed_at.toISOString(),
      valid: s.text_sm3 === agreement.text_sm3 && verifySignature(s.public_key, agreement.text, s.signature),
    }));
    return {
      agreementId: id,
      textSm3: recomputed,
      textSm3Valid,
      signatures,
      valid: textSm3Valid && signatures.length > 0 && signatures.every((s) => s.valid),
      checkedAt: new Date().toISOString(),
    };
  }

  /** GET /api/share-agreements/:id/bundle: what an outsider needs to verify the signatures with openssl. */
  async bundle(actor: Actor, id: string): Promise<AgreementBundle> {
    const { agreement } = await this.load(actor, id);
    const sigs = await this.signatures(this.db, id);
    return {
      format: 'shuan-agreement-bundle',
      version: 1,
      agreementId: id,
      number: agreement.number,
      text: agreement.text,
      textSm3: agreement.text_sm3,
      sm2UserId: SM2_DEFAULT_USER_ID,
      signatures: sigs.map((s) => ({
        party: s.party,
        publicKeyPem: s.public_key,
        signatureDerBase64: s.signature,
        signedAt: s.signed_at.toISOString(),
      })),
    };
  }
}
