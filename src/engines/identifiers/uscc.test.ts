import { describe, expect, it } from 'vitest';
import { isValidOrgCode, isValidUscc, makeUscc, orgCodeCheckChar, usccCheckChar } from './uscc.ts';

describe('USCC (GB 32100) and organisation code (GB 11714)', () => {
  it('accepts published codes', () => {
    // Published codes of real organisations (public registrations).
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('11100000000013127D')).toBe(true);
  });

  it('computes the organisation-code check by hand', () => {
    // D2143569: D=13 → 13·3 + 2·7 + 1·9 + 4·10 + 3·5 + 5·8 + 6·4 + 9·2 = 199; 199 mod 11 = 1; 11 − 1 = 10 → 'X'.
    expect(orgCodeCheckChar('D2143569')).toBe('X');
    expect(isValidOrgCode('D2143569-X')).toBe(true);
    expect(isValidOrgCode('D2143569-1')).toBe(false);
  });

  it('rejects any single changed character', () => {
    const code = '91350100M000100Y43';
    for (let i = 0; i < code.length; i++) {
      const swapped = code.slice(0, i) + (code[i] === '1' ? '2' : '1') + code.slice(i + 1);
      expect(isValidUscc(swapped), swapped).toBe(false);
    }
  });

  it('refuses letters outside the GB 32100 alphabet (I, O, S, V, Z)', () => {
    expect(usccCheckChar('9135010OM000100Y4')).toBeNull();
    expect(isValidUscc('91350100M000100Y4I')).toBe(false);
  });

  it('makes codes that validate', () => {
    const code = makeUscc('11', '350100', 'MB0A0001');
    expect(code).toHaveLength(18);
    expect(isValidUscc(code)).toBe(true);
  });
});
