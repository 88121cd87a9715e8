// Client credentials of a grant (LIF-6: only the recipient's registered systems call the gateway). A token is
// `sgw_<clientId>.<secret>`: the client id finds the credential, the secret (32 random bytes, base64url)
// proves it. Only HMAC-SM3(secret) under a key derived from the KEK is stored: a secret of 256 random bits
// needs no slow hash, and without the KEK a stolen table yields nothing to try offline. Compared in constant
// time.
import { randomBytes } from 'node:crypto';
import { constantTimeEqual, hmacSm3 } from '../../engines/gm/index.ts';
import type { Kek } from '../protection/kek.ts';

export const CLIENT_TOKEN_PREFIX = 'sgw_';
const MAC_LABEL = 'shuan.sharing.client-secret';
const TOKEN = /^sgw_([a-z0-9]{16,40})\.([A-Za-z0-9_-]{43,128})$/;

export interface ParsedToken {
  clientId: string;
  secret: string;
}

/** The token of an `Authorization: Bearer …` header, or null when it is not a well-formed gateway token. */
export function parseClientToken(header: string | undefined): ParsedToken | null {
  if (!header) return null;
  const [scheme, token, extra] = header.trim().split(/\s+/);
  if (extra !== undefined || scheme?.toLowerCase() !== 'bearer' || !token) return null;
  const m = TOKEN.exec(token);
  return m ? { clientId: m[1] as string, secret: m[2] as string } : null;
}

export function newCredential(): { clientId: string; secret: string; token: string } {
  const clientId = randomBytes(12).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { clientId, secret, token: `${CLIENT_TOKEN_PREFIX}${clientId}.${secret}` };
}

/** Computes and compares secrets' MACs; the derived key is computed once per process. */
export class SecretMac {
  private key: Buffer | null = null;
  constructor(private readonly kek: () => Kek) {}

  mac(secret: string): Buffer {
    this.key ??= this.kek().derive(MAC_LABEL).secret;
    return hmacSm3(this.key, Buffer.from(secret, 'utf8'));
  }

  matches(secret: string, stored: Buffer): boolean {
    return constantTimeEqual(this.mac(secret), stored);
  }
}
