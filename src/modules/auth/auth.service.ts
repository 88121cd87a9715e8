// Authentication (等保 level 3 身份鉴别, domain.md §5): password + TOTP login with lockout and rate limits,
// sessions with idle and absolute timeouts, API tokens, and the user's own security settings.
// Every login, failure, lock, timeout and credential change is an audit event.
import { sql } from 'kysely';
import { AppError, conflict, notFound, ruleViolation, unauthorized } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { loadActor } from '../org/actor.repo.ts';
import type { Actor, RequestInfo } from '../org/actor.ts';
import { type Permission, requiresTotp } from '../org/roles.ts';
import type { Kek } from '../protection/kek.ts';
import type { SecurityPolicy } from '../settings/security-policy.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { ApiToken, ApiTokenCreate, LoginBody, Me, PasswordChange } from './auth.schemas.ts';
import { setPassword } from './password-store.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { SlidingWindowLimiter } from './rate-limiter.ts';
import { hashSecret, newSecret } from './tokens.ts';
import { newTotpSecret, totpQrDataUrl, totpUri, verifyTotp } from './totp.ts';
import { TotpSecretBox, TotpSecretError } from './totp-secrets.ts';

export const API_TOKEN_PREFIX = 'shuan_';

export interface Authenticated {
  actor: Actor;
  /** Only password change / TOTP enrolment / logout are allowed while set. */
  restriction: 'password_change' | 'totp_enrolment' | null;
  csrfToken: string | null;
  /** When the session (absolute lifetime) or the API token ends. */
  expiresAt: Date;
}

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 401, '用户名或密码错误', 'Wrong user name or password');

/**
 * Credentials are managed from an interactive session (password + TOTP) only: an API token must not mint
 * tokens that outlive it or escape its revocation, nor change the password, the TOTP or the sessions.
 */
function assertInteractive(actor: Actor): void {
  if (actor.tokenScopes !== null) {
    throw new AppError('SESSION_REQUIRED', 403, '此操作须在登录会话中进行，不能使用 API 令牌', 'This needs a logged-in session; API tokens cannot do it');
  }
}

const invalidTotp = () => new AppError('INVALID_TOTP', 401, '动态验证码错误或已使用', 'Wrong or already used authenticator code');

export class AuthService {
  // Per-IP and per-account windows on login attempts (on top of the lockout, which counts failures).
  readonly ipLimiter = new SlidingWindowLimiter(30, 5 * 60_000);
  readonly accountLimiter = new SlidingWindowLimiter(10, 5 * 60_000);

  /** TOTP secrets are sealed under the KEK (等保 authentication-data confidentiality; see totp-secrets.ts). */
  private readonly totpSecrets: TotpSecretBox;

  constructor(
    private readonly db: Db,
    private readonly settings: SettingsService,
    /** Asked for only when a sealed TOTP secret is written or read. */
    kekProvider: () => Kek,
  ) {
    this.totpSecrets = new TotpSecretBox(kekProvider);
  }

  /**
   * The user's TOTP secret in clear, read from its sealed (or legacy clear) form. A secret that cannot be
   * opened is an audited refusal, never a 500 and never counted toward the lockout (the user guessed
   * nothing): KEK_MISMATCH (503) when the server runs with another KEK, TOTP_SECRET_INVALID (403) when the
   * value fails its MAC (tampered with, or copied from another user's row). Never fails open.
   */
  private async totpSecretOf(
    who: RequestInfo & { userId: string; username: string; institutionId: string },
    target: { type: string; id: string; institutionId: string },
    action: 'auth.login' | 'auth.totp_enabled' | 'auth.totp_disabled' | 'auth.reauth',
    stored: string,
  ): Promise<string> {
    try {
      return this.totpSecrets.open(who.userId, stored);
    } catch (err) {
      if (!(err instanceof TotpSecretError)) throw err;
      await recordAudit(this.db, who, { action, outcome: 'failure', target, details: { reason: err.reason, ...err.details } });
      throw err.toAppError();
    }
  }

  private rateLimited(waitMs: number) {
    const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
    return new AppError('RATE_LIMITED', 429, `登录尝试过于频繁，请 ${minutes} 分钟后再试`, `Too many login attempts; try again in ${minutes} min`, {
      retryAfterSeconds: Math.ceil(waitMs / 1000),
    });
  }

  async login(info: RequestInfo, body: LoginBody): Promise<{ token: string; csrfToken: string; expiresAt: Date; userId: string }> {
    const username = body.username.trim();
    const ipWait = this.ipLimiter.hit(info.ip ?? 'unknown');
    const accountWait = this.accountLimiter.hit(username.toLowerCase());
    const anon = { ...info, userId: null, username, institutionId: null };
    if (ipWait > 0 || accountWait > 0) {
      await recordAudit(this.db, anon, { action: 'auth.login', outcome: 'denied', details: { reason: 'rate_limited' } });
      throw this.rateLimited(Math.max(ipWait, accountWait));
    }
    const policy = await this.settings.securityPolicy();
    const user = await this.db.selectFrom('users').selectAll().where(sql<string>`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
    if (!user) {
      await verifyPassword(body.password, await dummyPasswordHash());
      await recordAudit(this.db, anon, { action: 'auth.login', outcome: 'failure', details: { reason: 'unknown_user' } });
      throw invalidCredentials();
    }
    const who = { ...info, userId: user.id, username: user.username, institutionId: user.institution_id };
    const target = { type: 'user', id: user.id, institutionId: user.institution_id };
    const now = new Date();
    if (user.locked_until && user.locked_until > now) {
      await recordAudit(this.db, who, { action: 'auth.login', outcome: 'denied', target, details: { reason: 'locked' } });
      const minutes = Math.ceil((user.locked_until.getTime() - now.getTime()) / 60_000);
      throw new AppError(
        'ACCOUNT_LOCKED',
        423,
        `账号已锁定，请 ${minutes} 分钟后再试或联系管理员解锁`,
        `Account locked; try again in ${minutes} min or ask an administrator`,
        {
          lockedUntil: user.locked_until.toISOString(),
        },
      );
    }
    const passwordOk = await verifyPassword(body.password, user.password_hash);
    if (user.status !== 'active') {
      // A disabled account answers like a wrong password (no enumeration) but is not counted toward a
      // lockout: there is nothing to protect, and re-enabling it must not find it locked.
      await recordAudit(this.db, who, { action: 'auth.login', outcome: 'denied', target, details: { reason: 'disabled' } });
      throw invalidCredentials();
    }
    if (!passwordOk) {
      await this.recordFailure(who, target, policy, 'bad_password');
      throw invalidCredentials();
    }
    let totpStep: number | null = null;
    if (user.totp_enabled_at && user.totp_secret) {
      if (!body.totpCode) {
        // The password was right: no failure counted, the client asks for the second factor. Still an
        // audit event: a right password without the code is exactly what a stolen password looks like.
        await recordAudit(this.db, who, { action: 'auth.login', outcome: 'denied', target, details: { reason: 'totp_required' } });
        throw new AppError('TOTP_REQUIRED', 401, '请输入动态验证码', 'Enter the authenticator code');
      }
      const secret = await this.totpSecretOf(who, target, 'auth.login', user.totp_secret);
      totpStep = verifyTotp(secret, body.totpCode, user.totp_last_step);
      if (totpStep === null) {
        await this.recordFailure(who, target, policy, 'bad_totp');
        throw invalidTotp();
      }
    }
    const token = newSecret();
    const csrfToken = newSecret();
    const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3600_000);
    const created = await this.db.transaction().execute(async (trx) => {
      if (totpStep !== null) {
        // Claim the code's time step atomically: of concurrent logins with one code only the first gets
        // it (the check in verifyTotp alone read a totp_last_step that a parallel login had not yet written).
        const step = totpStep;
        const claimed = await trx
          .updateTable('users')
          .set({ totp_last_step: step })
          .where('id', '=', user.id)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
          .returning('id')
          .executeTakeFirst();
        if (!claimed) return false;
      }
      await trx.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', user.id).execute();
      await trx
        .insertInto('sessions')
        .values({
          id: hashSecret(token),
          user_id: user.id,
          csrf_token: csrfToken,
          ip: info.ip,
          user_agent: info.userAgent?.slice(0, 300) ?? null,
          expires_at: expiresAt,
        })
        .execute();
      await recordAudit(trx, who, { action: 'auth.login', target, details: { secondFactor: totpStep !== null } });
      return true;
    });
    if (!created) {
      await this.recordFailure(who, target, policy, 'bad_totp');
      throw invalidTotp();
    }
    return { token, csrfToken, expiresAt, userId: user.id };
  }

  /**
   * Counts a failed proof of the password or code toward the lockout. `action` names what was attempted:
   * a login, or re-entering the password inside a session (password change, TOTP removal), where a
   * hijacked session must not be able to guess the password without limit. When the account locks from
   * inside a session, all its sessions end.
   */
  private async recordFailure(
    who: RequestInfo & { userId: string; username: string; institutionId: string },
    target: { type: string; id: string; institutionId: string },
    policy: SecurityPolicy,
    reason: string,
    action: 'auth.login' | 'auth.password_change' | 'auth.totp_disabled' | 'auth.reauth' = 'auth.login',
  ) {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('users')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', who.userId)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, who, { action, outcome: 'failure', target, details: { reason, consecutiveFailures: row.failed_logins } });
      if (row.failed_logins >= policy.lockThreshold) {
        const until = new Date(Date.now() + policy.lockMinutes * 60_000);
        await trx.updateTable('users').set({ locked_until: until, failed_logins: 0 }).where('id', '=', who.userId).execute();
        if (action !== 'auth.login') {
          await trx
            .updateTable('sessions')
            .set({ ended_at: new Date(), end_reason: 'account_locked' })
            .where('user_id', '=', who.userId)
            .where('ended_at', 'is', null)
            .execute();
        }
        await recordAudit(trx, who, {
          action: 'auth.account_locked',
          target,
          details: { failures: row.failed_logins, lockedUntil: until.toISOString(), minutes: policy.lockMinutes },
        });
      }
    });
  }

  /** Resolves a browser session; ends it (and audits why) when idle or past its absolute lifetime. */
  async authenticateSession(token: string, info: RequestInfo): Promise<Authenticated> {
    const id = hashSecret(token);
    const session = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!session || session.ended_at) throw unauthorized();
    const policy = await this.settings.securityPolicy();
    const now = Date.now();
    let reason: 'idle_timeout' | 'absolute_timeout' | null = null;
    // The absolute lifetime counts from login under the current policy, so shortening absoluteHours
    // also ends existing sessions (as idleMinutes does); expires_at (set at login) is the outer bound.
    const expiresAt = new Date(Math.min(session.expires_at.getTime(), session.created_at.getTime() + policy.absoluteHours * 3600_000));
    if (now >= expiresAt.getTime()) reason = 'absolute_timeout';
    else if (now - session.last_seen_at.getTime() > policy.idleMinutes * 60_000) reason = 'idle_timeout';
    if (reason) {
      await this.endSession(session.id, session.user_id, info, reason);
      throw new AppError('SESSION_EXPIRED', 401, '会话已超时，请重新登录', 'Your session has expired; please log in again', { reason });
    }
    const actor = await loadActor(this.db, session.user_id, info, { tokenScopes: null, sessionId: session.id });
    if (!actor) {
      await this.endSession(session.id, session.user_id, info, 'account_disabled');
      throw unauthorized();
    }
    // Touch at most every 15 s: enough precision for a 30-minute idle limit, far fewer writes.
    if (now - session.last_seen_at.getTime() > 15_000) {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: new Date(now) })
        .where('id', '=', session.id)
        .execute();
    }
    return { actor, restriction: await this.restrictionOf(actor, policy), csrfToken: session.csrf_token, expiresAt };
  }

  async authenticateApiToken(token: string, info: RequestInfo): Promise<Authenticated> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hashSecret(token)).executeTakeFirst();
    if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now()) {
      throw new AppError('INVALID_TOKEN', 401, 'API 令牌无效、已过期或已撤销', 'The API token is invalid, expired or revoked');
    }
    const actor = await loadActor(this.db, row.user_id, info, { tokenScopes: row.scopes as Permission[], sessionId: null });
    if (!actor) throw new AppError('INVALID_TOKEN', 401, 'API 令牌无效、已过期或已撤销', 'The API token is invalid, expired or revoked');
    await this.db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
    // Tokens are for machine clients: password expiry and TOTP enrolment gate interactive sessions only.
    return { actor, restriction: null, csrfToken: null, expiresAt: row.expires_at };
  }

  private async restrictionOf(actor: Actor, policy: SecurityPolicy): Promise<Authenticated['restriction']> {
    const u = await this.db
      .selectFrom('users')
      .select(['must_change_password', 'password_changed_at', 'totp_enabled_at'])
      .where('id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    if (u.must_change_password || passwordExpired(u.password_changed_at, policy)) return 'password_change';
    if (!u.totp_enabled_at && requiresTotp(actor.roles.map((r) => r.role))) return 'totp_enrolment';
    return null;
  }

  private async endSession(sessionId: string, userId: string, info: RequestInfo, reason: string) {
    await this.db.transaction().execute(async (trx) => {
      const ended = await trx
        .updateTable('sessions')
        .set({ ended_at: new Date(), end_reason: reason })
        .where('id', '=', sessionId)
        .where('ended_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!ended) return;
      const user = await trx.selectFrom('users').select(['username', 'institution_id']).where('id', '=', userId).executeTakeFirst();
      await recordAudit(
        trx,
        { ...info, userId, username: user?.username ?? null, institutionId: user?.institution_id ?? null },
        { action: reason === 'logout' ? 'auth.logout' : 'auth.session_ended', target: { type: 'session', id: sessionId.slice(0, 12) }, details: { reason } },
      );
    });
  }

  async logout(actor: Actor): Promise<void> {
    if (actor.sessionId) await this.endSession(actor.sessionId, actor.userId, actor, 'logout');
  }

  async me(actor: Actor): Promise<Me> {
    const policy = await this.settings.securityPolicy();
    const u = await this.db
      .selectFrom('users as u')
      .innerJoin('institutions as i', 'i.id', 'u.institution_id')
      .select(['u.must_change_password', 'u.password_changed_at', 'u.totp_enabled_at', 'i.name as institution_name', 'i.kind'])
      .where('u.id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    const roleInstitutions = actor.roles.length
      ? await this.db
          .selectFrom('institutions')
          .select(['id', 'name'])
          .where(
            'id',
            'in',
            actor.roles.map((r) => r.institutionId),
          )
          .execute()
      : [];
    const names = new Map(roleInstitutions.map((r) => [r.id, r.name]));
    const totpRequired = requiresTotp(actor.roles.map((r) => r.role));
    const mustChange = u.must_change_password || passwordExpired(u.password_changed_at, policy);
    return {
      id: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      institutionId: actor.institutionId,
      institutionName: u.institution_name,
      institutionKind: u.kind as Me['institutionKind'],
      roles: actor.roles.map((r) => ({ ...r, institutionName: names.get(r.institutionId) ?? '' })),
      permissions: [...actor.permissions.keys()],
      totpEnabled: u.totp_enabled_at !== null,
      totpRequired,
      passwordExpiresAt: new Date(u.password_changed_at.getTime() + policy.passwordMaxAgeDays * 86400_000).toISOString(),
      mustChangePassword: mustChange,
      totpEnrolmentRequired: !mustChange && totpRequired && u.totp_enabled_at === null,
    };
  }

  async changePassword(actor: Actor, body: PasswordChange): Promise<void> {
    assertInteractive(actor);
    const policy = await this.settings.securityPolicy();
    const user = await this.db.selectFrom('users').select(['id', 'username', 'password_hash']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
    if (!(await verifyPassword(body.currentPassword, user.password_hash))) {
      await this.recordFailure(actor, selfTarget(actor), policy, 'bad_current_password', 'auth.password_change');
      // 422, not 401: the session is fine, what was typed is wrong.
      throw ruleViolation('INVALID_CURRENT_PASSWORD', '当前密码错误', 'The current password is wrong');
    }
    await this.db.transaction().execute(async (trx) => {
      await setPassword(trx, user, body.newPassword, policy, { mustChange: false, checkHistory: true });
      // Other sessions of this account end: whoever knew the old password is logged out.
      await trx
        .updateTable('sessions')
        .set({ ended_at: new Date(), end_reason: 'password_changed' })
        .where('user_id', '=', user.id)
        .where('ended_at', 'is', null)
        .where('id', '!=', actor.sessionId ?? '')
        .execute();
      await recordAudit(trx, actor, { action: 'auth.password_change', target: selfTarget(actor) });
    });
  }

  /**
   * Re-authentication inside a session before an act that binds the person (signing a sharing agreement,
   * LIF-4): the password, and the authenticator code when TOTP is enrolled (the code's time step is claimed,
   * so it cannot be replayed). A wrong password or code counts toward the lockout like a login; a missing
   * code does not (the password was right). `purpose` names the act in the audit event.
   */
  async reauthenticate(actor: Actor, password: string, totpCode: string | undefined, purpose: string): Promise<void> {
    assertInteractive(actor);
    const failed = (totpRequired: boolean) =>
      new AppError(
        'REAUTH_FAILED',
        401,
        totpRequired ? '请输入正确的密码和动态验证码' : '密码错误，身份确认未通过',
        totpRequired ? 'Enter your password and authenticator code' : 'Wrong password; re-authentication failed',
        { totpRequired },
      );
    const u = await this.db
      .selectFrom('users')
      .select(['password_hash', 'totp_secret', 'totp_enabled_at', 'totp_last_step'])
      .where('id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    const target = selfTarget(actor);
    const withTotp = u.totp_enabled_at !== null && u.totp_secret !== null;
    if (!(await verifyPassword(password, u.password_hash))) {
      await this.recordFailure(actor, target, await this.settings.securityPolicy(), `bad_password:${purpose}`, 'auth.reauth');
      throw failed(withTotp);
    }
    if (!withTotp) return;
    if (!totpCode) {
      await recordAudit(this.db, actor, { action: 'auth.reauth', outcome: 'denied', target, details: { reason: 'totp_required', purpose } });
      throw failed(true);
    }
    const secret = await this.totpSecretOf(actor, target, 'auth.reauth', u.totp_secret as string);
    const step = verifyTotp(secret, totpCode, u.totp_last_step);
    const claimed =
      step !== null &&
      (await this.db
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('id', '=', actor.userId)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .returning('id')
        .executeTakeFirst());
    if (!claimed) {
      await this.recordFailure(actor, target, await this.settings.securityPolicy(), `bad_totp:${purpose}`, 'auth.reauth');
      throw failed(true);
    }
  }

  async totpSetup(actor: Actor): Promise<{ secret: string; otpauthUri: string; qrDataUrl: string }> {
    assertInteractive(actor);
    const u = await this.db.selectFrom('users').select(['totp_enabled_at']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
    if (u.totp_enabled_at)
      throw conflict('TOTP_ALREADY_ENABLED', '已绑定双因素认证，如需更换请先解绑', 'TOTP is already enabled; disable it first to re-enrol');
    const secret = newTotpSecret();
    // Stored sealed (sa1.…), bound to this user; the clear secret goes only to the user, once.
    await this.db
      .updateTable('users')
      .set({ totp_secret: this.totpSecrets.seal(actor.userId, secret), totp_last_step: null })
      .where('id', '=', actor.userId)
      .execute();
    const otpauthUri = totpUri(secret, actor.username);
    return { secret, otpauthUri, qrDataUrl: await totpQrDataUrl(otpauthUri) };
  }

  async totpConfirm(actor: Actor, code: string): Promise<void> {
    assertInteractive(actor);
    const u = await this.db
      .selectFrom('users')
      .select(['totp_secret', 'totp_enabled_at', 'totp_last_step'])
      .where('id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    if (u.totp_enabled_at) throw conflict('TOTP_ALREADY_ENABLED', '已绑定双因素认证', 'TOTP is already enabled');
    if (!u.totp_secret) throw ruleViolation('TOTP_NOT_STARTED', '请先生成二维码再输入验证码', 'Start the enrolment first');
    const secret = await this.totpSecretOf(actor, selfTarget(actor), 'auth.totp_enabled', u.totp_secret);
    const step = verifyTotp(secret, code, u.totp_last_step);
    if (step === null) throw ruleViolation('INVALID_TOTP', '动态验证码错误，请核对手机时间后重试', 'Wrong code; check the phone clock and try again');
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ totp_enabled_at: new Date(), totp_last_step: step }).where('id', '=', actor.userId).execute();
      await recordAudit(trx, actor, { action: 'auth.totp_enabled', target: selfTarget(actor) });
    });
  }

  async totpDisable(actor: Actor, password: string, code: string): Promise<void> {
    assertInteractive(actor);
    if (requiresTotp(actor.roles.map((r) => r.role))) {
      throw ruleViolation('TOTP_REQUIRED_FOR_ROLE', '特权角色必须启用双因素认证，不能解绑', 'Privileged roles must keep TOTP enabled');
    }
    const u = await this.db
      .selectFrom('users')
      .select(['password_hash', 'totp_secret', 'totp_enabled_at', 'totp_last_step'])
      .where('id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    if (!u.totp_enabled_at || !u.totp_secret) throw conflict('TOTP_NOT_ENABLED', '尚未绑定双因素认证', 'TOTP is not enabled');
    const passwordOk = await verifyPassword(password, u.password_hash);
    // The secret is opened only for someone who knows the password (as at login).
    const secret = passwordOk ? await this.totpSecretOf(actor, selfTarget(actor), 'auth.totp_disabled', u.totp_secret) : null;
    if (secret === null || verifyTotp(secret, code, u.totp_last_step) === null) {
      await this.recordFailure(actor, selfTarget(actor), await this.settings.securityPolicy(), 'bad_password_or_code', 'auth.totp_disabled');
      throw ruleViolation('INVALID_CREDENTIALS', '密码或动态验证码错误', 'Wrong password or code');
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ totp_enabled_at: null, totp_secret: null, totp_last_step: null }).where('id', '=', actor.userId).execute();
      await recordAudit(trx, actor, { action: 'auth.totp_disabled', target: selfTarget(actor) });
    });
  }

  async listSessions(actor: Actor) {
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', actor.userId)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', new Date())
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((s) => ({
      id: s.id.slice(0, 16),
      current: s.id === actor.sessionId,
      ip: s.ip,
      userAgent: s.user_agent,
      createdAt: s.created_at.toISOString(),
      lastSeenAt: s.last_seen_at.toISOString(),
      expiresAt: s.expires_at.toISOString(),
    }));
  }

  async revokeSession(actor: Actor, shortId: string): Promise<void> {
    assertInteractive(actor);
    const row = await this.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', actor.userId)
      .where('ended_at', 'is', null)
      .where(sql<string>`left(id, 16)`, '=', shortId)
      .executeTakeFirst();
    if (!row) throw notFound({ zh: '会话', en: 'Session' });
    await this.endSession(row.id, actor.userId, actor, 'revoked');
  }

  async listTokens(actor: Actor): Promise<ApiToken[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().where('user_id', '=', actor.userId).orderBy('created_at', 'desc').execute();
    return rows.map(tokenDto);
  }

  async createToken(actor: Actor, body: ApiTokenCreate): Promise<{ token: string; apiToken: ApiToken }> {
    assertInteractive(actor);
    // A token can carry only permissions its owner holds now (scopes are further checked on every call).
    const missing = body.scopes.filter((s) => !actor.permissions.has(s as Permission));
    if (missing.length) {
      throw ruleViolation('SCOPE_NOT_HELD', `您不具备以下权限，不能授予令牌：${missing.join('、')}`, `You do not hold: ${missing.join(', ')}`, {
        scopes: missing,
      });
    }
    const token = newSecret(API_TOKEN_PREFIX);
    const row = await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('api_tokens')
        .values({
          id: uuidv7(),
          user_id: actor.userId,
          name: body.name,
          token_hash: hashSecret(token),
          prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
          scopes: body.scopes,
          expires_at: new Date(Date.now() + body.expiresInDays * 86400_000),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        action: 'auth.api_token.create',
        target: { type: 'api_token', id: inserted.id, institutionId: actor.institutionId },
        details: { name: body.name, scopes: body.scopes, expiresInDays: body.expiresInDays },
      });
      return inserted;
    });
    return { token, apiToken: tokenDto(row) };
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    assertInteractive(actor);
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('api_tokens')
        .set({ revoked_at: new Date() })
        .where('id', '=', id)
        .where('user_id', '=', actor.userId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!row) throw notFound({ zh: 'API 令牌', en: 'API token' });
      await recordAudit(trx, actor, { action: 'auth.api_token.revoke', target: { type: 'api_token', id, institutionId: actor.institutionId } });
    });
  }
}

/** The audit target of an action on one's own account. */
function selfTarget(actor: Actor) {
  return { type: 'user', id: actor.userId, institutionId: actor.institutionId };
}

export function passwordExpired(changedAt: Date, policy: SecurityPolicy, now = Date.now()): boolean {
  return now - changedAt.getTime() > policy.passwordMaxAgeDays * 86400_000;
}

function tokenDto(r: {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expires_at: Date;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ApiToken {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes as ApiToken['scopes'],
    expiresAt: r.expires_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}
