// Password hashing with scrypt (memory-hard; node:crypto, no native addon) and the 等保 password policy.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

// N = 2^15, r = 8 → 32 MiB per hash: the OWASP-recommended floor for scrypt.
const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Format: scrypt$N$r$p$salt(base64)$hash(base64), so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password: verifying against it costs the same as a real one (no user enumeration by timing). */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(18).toString('base64'));
  return dummyHash;
}

export interface PolicyViolation {
  code: 'TOO_SHORT' | 'TOO_LONG' | 'TOO_FEW_CLASSES' | 'CONTAINS_USERNAME';
  zh: string;
  en: string;
}

export const PASSWORD_MAX_LENGTH = 128;

/** ≥ minLength characters, at least 3 of 4 classes (lower, upper, digit, symbol), not containing the username. */
export function checkPasswordPolicy(password: string, opts: { minLength: number; username?: string }): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  const length = [...password].length;
  if (length < opts.minLength) out.push({ code: 'TOO_SHORT', zh: `密码至少 ${opts.minLength} 个字符`, en: `At least ${opts.minLength} characters` });
  if (length > PASSWORD_MAX_LENGTH)
    out.push({ code: 'TOO_LONG', zh: `密码最多 ${PASSWORD_MAX_LENGTH} 个字符`, en: `At most ${PASSWORD_MAX_LENGTH} characters` });
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3)
    out.push({
      code: 'TOO_FEW_CLASSES',
      zh: '密码须包含小写字母、大写字母、数字、特殊字符中的至少三类',
      en: 'Use at least 3 of: lower-case, upper-case, digits, symbols',
    });
  if (opts.username && opts.username.length >= 3 && password.toLowerCase().includes(opts.username.toLowerCase()))
    out.push({ code: 'CONTAINS_USERNAME', zh: '密码不得包含用户名', en: 'The password must not contain the user name' });
  return out;
}

/** A random password that satisfies the policy (for resets and generated accounts). */
export function generatePassword(length = 16): string {
  const sets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!@#%^*-_+=?'];
  const all = sets.join('');
  const pick = (s: string) => s[randomBytes(4).readUInt32BE(0) % s.length] as string;
  const chars = sets.map(pick);
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomBytes(4).readUInt32BE(0) % (i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
