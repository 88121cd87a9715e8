// TOTP secrets at rest (等保 level 3 数据保密性 of authentication data, domain.md §5; 密评 §6: SM4 for
// confidentiality, HMAC-SM3 for integrity; PRT-5). users.totp_secret holds the SM4 envelope's text form
// ("sa1.…") sealed under a key derived from the KEK (Kek.derive('shuan.totp')), with the user id as AAD:
// a sealed secret copied to another user's row does not open. Legacy rows hold the base32 secret in clear
// (databases from before this change, `shuan seed-demo`); they are still read, and `shuan serve` seals
// them all at start (sealLegacyTotpSecrets).
import { AppError } from '../../app/errors.ts';
import type { Db } from '../../db/database.ts';
import { ENVELOPE_TEXT_PREFIX, envelopeKeyId, isGmError, openEnvelopeText, sealEnvelopeText } from '../../engines/gm/index.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { type Kek, KekError } from '../protection/kek.ts';

export const TOTP_KEY_LABEL = 'shuan.totp';

const aadFor = (userId: string) => `shuan.totp-secret\0${userId}`;
/** What a clear secret looks like (RFC 4648 base32, as newTotpSecret and the demo seed write it). */
const LEGACY_BASE32 = /^[A-Za-z2-7]{16,}=*$/;
const KEY_SUFFIX = `/${TOTP_KEY_LABEL}`;

/** Why a stored secret cannot be used: the server has another KEK, or the value is damaged or not this user's. */
export type TotpSecretProblem = 'kek_mismatch' | 'totp_secret_invalid';

export class TotpSecretError extends Error {
  constructor(
    readonly reason: TotpSecretProblem,
    /** For the audit event: KEK fingerprints (never key material). */
    readonly details: Record<string, string> = {},
  ) {
    super(reason);
    this.name = 'TotpSecretError';
  }

  /**
   * KEK mismatch is the operator's fault and the user can do nothing about it: 503, so monitoring sees a
   * service fault and nobody is locked out for it. A value that fails its MAC (moved from another row,
   * modified) is a refusal that retrying cannot fix: 403.
   */
  toAppError(): AppError {
    return this.reason === 'kek_mismatch'
      ? new AppError(
          'KEK_MISMATCH',
          503,
          '服务器配置的密钥加密密钥（KEK）与保护该账号动态口令密钥的 KEK 不一致，暂无法完成双因素认证，请联系系统管理员',
          "The server's key-encryption key is not the one this account's authenticator secret was sealed with; two-factor sign-in is unavailable until an administrator restores the right key",
        )
      : new AppError(
          'TOTP_SECRET_INVALID',
          403,
          '该账号的动态口令密钥未通过完整性校验（可能被篡改），已记录审计日志，请联系安全管理员',
          "This account's authenticator secret failed its integrity check (it may have been tampered with); the event is audited, contact the security administrator",
        );
  }
}

export function isSealedTotpSecret(stored: string): boolean {
  return stored.startsWith(ENVELOPE_TEXT_PREFIX);
}

function sealWith(kek: Kek, userId: string, base32: string): string {
  return sealEnvelopeText(kek.derive(TOTP_KEY_LABEL), base32, aadFor(userId));
}

/** The KEK fingerprint a TOTP envelope names, or null when it is not a TOTP envelope at all. */
function sealingKekOf(stored: string): string | null {
  try {
    const id = envelopeKeyId(stored);
    return id.endsWith(KEY_SUFFIX) ? id.slice(0, -KEY_SUFFIX.length) : null;
  } catch {
    return null;
  }
}

/** Seals and opens one user's TOTP secret. The KEK is asked for only when a sealed value is involved. */
export class TotpSecretBox {
  constructor(private readonly kekProvider: () => Kek) {}

  seal(userId: string, base32: string): string {
    return sealWith(this.kekProvider(), userId, base32);
  }

  /** The base32 secret from what users.totp_secret holds (sealed or legacy clear). Throws TotpSecretError. */
  open(userId: string, stored: string): string {
    if (!isSealedTotpSecret(stored)) {
      if (LEGACY_BASE32.test(stored)) return stored;
      throw new TotpSecretError('totp_secret_invalid');
    }
    const kek = this.kekProvider();
    const key = kek.derive(TOTP_KEY_LABEL);
    try {
      return openEnvelopeText((id) => (id === key.id ? key : undefined), stored, aadFor(userId)).toString('utf8');
    } catch (err) {
      if (!isGmError(err)) throw err;
      const sealedUnder = sealingKekOf(stored);
      if (isGmError(err, 'envelope_unknown_key') && sealedUnder !== null) {
        throw new TotpSecretError('kek_mismatch', { sealedUnder, configured: kek.id });
      }
      throw new TotpSecretError('totp_secret_invalid');
    }
  }
}

/**
 * Seals every clear (legacy) TOTP secret under `kek`, in one transaction with one audit event; run by
 * `shuan serve` before it listens. Idempotent: sealed rows are left as they are, so a second run seals 0.
 * Refuses (KekError KEK_INVALID) when a secret is already sealed under another KEK: sealing more under
 * the wrong one would leave the table readable by neither.
 */
export async function sealLegacyTotpSecrets(db: Db, kek: Kek): Promise<{ sealed: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('users').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).execute();
    for (const r of rows) {
      const sealedUnder = r.totp_secret && isSealedTotpSecret(r.totp_secret) ? sealingKekOf(r.totp_secret) : null;
      if (sealedUnder !== null && sealedUnder !== kek.id) {
        throw new KekError(
          'KEK_INVALID',
          `配置的 KEK（${kek.id}）与数据库中动态口令密钥所用的 KEK（${sealedUnder}）不一致，请使用原 KEK 启动 / the configured KEK (${kek.id}) is not the one this database's TOTP secrets are sealed with (${sealedUnder})`,
        );
      }
    }
    let sealed = 0;
    for (const r of rows) {
      const clear = r.totp_secret;
      if (clear === null || isSealedTotpSecret(clear) || !LEGACY_BASE32.test(clear)) continue;
      // Compare-and-set: a user who re-enrols meanwhile keeps the new secret.
      const res = await trx
        .updateTable('users')
        .set({ totp_secret: sealWith(kek, r.id, clear) })
        .where('id', '=', r.id)
        .where('totp_secret', '=', clear)
        .executeTakeFirst();
      sealed += Number(res.numUpdatedRows);
    }
    if (sealed > 0) {
      await recordAudit(
        trx,
        { userId: null, username: 'system', institutionId: null, ip: null, requestId: null },
        { action: 'system.totp_secrets_sealed', details: { count: sealed, kek: kek.id } },
      );
    }
    return { sealed };
  });
}
