// Unified social credit code (统一社会信用代码, GB 32100-2015) and the organisation code embedded in it
// (组织机构代码, GB 11714-1997). Pure functions: validation and check-character computation.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Check character for the first 17 characters of a USCC, or null if they contain an invalid character. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17[i] as string);
    if (v < 0) return null;
    sum += v * (USCC_WEIGHTS[i] as number);
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31] as string;
}

/** Check character for the first 8 characters of an organisation code (GB 11714). */
export function orgCodeCheckChar(first8: string): string | null {
  if (!/^[0-9A-Z]{8}$/.test(first8)) return null;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ORG_CHARS.indexOf(first8[i] as string) * (ORG_WEIGHTS[i] as number);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function isValidOrgCode(code: string): boolean {
  const s = code.replace('-', '');
  return s.length === 9 && orgCodeCheckChar(s.slice(0, 8)) === s[8];
}

/** A USCC is valid when its own check character matches and characters 9–17 are a valid organisation code. */
export function isValidUscc(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) return false;
  return isValidOrgCode(code.slice(8, 17));
}

/** Builds a valid USCC from its registration-authority code, type, region and 8-character org-code body. */
export function makeUscc(prefix2: string, region6: string, orgBody8: string): string {
  const org = orgBody8 + orgCodeCheckChar(orgBody8);
  const first17 = prefix2 + region6 + org;
  return first17 + usccCheckChar(first17);
}
