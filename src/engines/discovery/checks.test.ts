// Identifier checks of domain.md §4 (CLS-2): resident IDs (GB 11643), credit codes (GB 32100/GB 11714,
// byte versions proven equal to ../identifiers/uscc.ts), Luhn and card schemes.
import { describe, expect, it } from 'vitest';
import { isValidOrgCode, isValidUscc } from '../identifiers/uscc.ts';
import {
  CARD_NONE,
  CARD_OTHER,
  CARD_UNIONPAY,
  cardScheme,
  isLuhnValid,
  isMod97Valid,
  isRealDate,
  isValidBankCard,
  isValidResidentId,
  orgCodeBytes,
  residentId15To18,
  residentIdCheckChar,
  usccBytes,
} from './checks.ts';
import { Gen } from './corpus.ts';

const AS_OF = 20250601;
const bytes = (s: string) => new TextEncoder().encode(s);

describe('resident ID (GB 11643-1999, CLS-2)', () => {
  it('accepts the published samples', () => {
    expect(isValidResidentId('11010519491231002X', AS_OF)).toBe(true);
    expect(isValidResidentId('11010519491231002x', AS_OF)).toBe(true);
    expect(isValidResidentId('440524188001010014', AS_OF)).toBe(true);
  });

  it('computes the check character by hand', () => {
    // 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167; 167 mod 11 = 2 → 'X'.
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });

  it('rejects every single changed digit', () => {
    const id = '440524188001010014';
    for (let i = 0; i < 18; i++) {
      const changed = id.slice(0, i) + String((Number(id[i]) + 3) % 10) + id.slice(i + 1);
      expect(isValidResidentId(changed, AS_OF), changed).toBe(false);
    }
  });

  it('checks the province prefix, not the county list', () => {
    const make = (region: string) => {
      const first17 = `${region}19800101123`;
      return first17 + residentIdCheckChar(first17);
    };
    for (const p of ['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82', '83'])
      expect(isValidResidentId(make(`${p}9999`), AS_OF), p).toBe(true);
    for (const p of ['00', '10', '16', '20', '24', '30', '38', '40', '47', '49', '55', '60', '66', '70', '72', '80', '84', '99'])
      expect(isValidResidentId(make(`${p}0101`), AS_OF), p).toBe(false);
    // 2023 permanent-residence card for foreigners: a leading 9, then the province code.
    expect(isValidResidentId(make('931000'), AS_OF)).toBe(true);
    expect(isValidResidentId(make('901000'), AS_OF)).toBe(false);
  });

  it('checks the birth date: real, from 1800, not after the as-of date', () => {
    const make = (date: string) => {
      const first17 = `110105${date}123`;
      return first17 + residentIdCheckChar(first17);
    };
    expect(isValidResidentId(make('20000229'), AS_OF)).toBe(true);
    expect(isValidResidentId(make('19000229'), AS_OF)).toBe(false);
    expect(isValidResidentId(make('19990230'), AS_OF)).toBe(false);
    expect(isValidResidentId(make('19991301'), AS_OF)).toBe(false);
    expect(isValidResidentId(make('19990100'), AS_OF)).toBe(false);
    expect(isValidResidentId(make('17991231'), AS_OF)).toBe(false);
    expect(isValidResidentId(make('20250601'), AS_OF)).toBe(true);
    expect(isValidResidentId(make('20250602'), AS_OF)).toBe(false);
    expect(isRealDate(2024, 2, 29)).toBe(true);
    expect(isRealDate(2023, 2, 29)).toBe(false);
    expect(isRealDate(2023, 4, 31)).toBe(false);
  });

  it('accepts 15-digit legacy IDs by region and 19YYMMDD date, and converts them', () => {
    expect(isValidResidentId('110105491231002', AS_OF)).toBe(true);
    expect(isValidResidentId('110105491331002', AS_OF)).toBe(false);
    expect(isValidResidentId('000105491231002', AS_OF)).toBe(false);
    expect(residentId15To18('110105491231002')).toBe('11010519491231002X');
  });
});

describe('credit codes: byte checks equal the reference implementation (GB 32100, GB 11714)', () => {
  it('agrees with identifiers/uscc.ts on valid codes, mutations and random strings', () => {
    const g = new Gen(11);
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXYIOSVZ';
    let valid = 0;
    for (let i = 0; i < 20000; i++) {
      let code = g.uscc();
      if (i % 3 === 1) {
        const p = g.int(0, 17);
        code = code.slice(0, p) + g.pick([...alphabet]) + code.slice(p + 1);
      } else if (i % 3 === 2) code = Array.from({ length: 18 }, () => g.pick([...alphabet])).join('');
      const ref = isValidUscc(code);
      const structure = /^[1-9ANY][1-9](1[0-5]|10|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])/.test(code);
      // The byte check adds the GB 32100 structure rule (authority, type, province of the division code).
      expect(usccBytes(bytes(code), 0), code).toBe(ref && structure);
      if (ref) valid++;
    }
    expect(valid).toBeGreaterThan(6000);
    for (const sample of ['91350100M000100Y43', '91110000600037341L', '11100000000013127D']) expect(usccBytes(bytes(sample), 0), sample).toBe(true);
  });

  it('organisation codes agree with the reference', () => {
    const g = new Gen(12);
    for (let i = 0; i < 5000; i++) {
      const u = g.uscc();
      let body = u.slice(8, 16);
      let check = u[16];
      if (i % 2 === 1) check = g.pick([...'0123456789X']);
      if (i % 5 === 0) body = `${body.slice(0, 3)}${g.pick([...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'])}${body.slice(4)}`;
      expect(orgCodeBytes(bytes(body + check), 0, 8), body + check).toBe(isValidOrgCode(`${body}-${check}`));
    }
    expect(orgCodeBytes(bytes('D2143569X'), 0, 8)).toBe(true);
  });
});

describe('bank cards (Luhn, scheme prefixes)', () => {
  it('Luhn accepts known numbers and rejects a changed digit', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('6222021234567890128')).toBe(true);
    expect(isLuhnValid('6222021234567890127')).toBe(false);
    expect(isLuhnValid('79927398713')).toBe(true);
  });

  it('knows the scheme prefixes and lengths', () => {
    const scheme = (s: string) => cardScheme(bytes(s), 0, s.length);
    expect(scheme('6222021234567890128')).toBe(CARD_UNIONPAY);
    expect(scheme('6013821234567890')).toBe(CARD_OTHER);
    expect(scheme('4111111111111111')).toBe(CARD_OTHER);
    expect(scheme('41111111111111111')).toBe(CARD_NONE); // Visa is 13, 16 or 19
    expect(scheme('5500000000000004')).toBe(CARD_OTHER);
    expect(scheme('2221000000000009')).toBe(CARD_OTHER);
    expect(scheme('2720990000000007')).toBe(CARD_OTHER);
    expect(scheme('2721000000000004')).toBe(CARD_NONE);
    expect(scheme('3528000000000007')).toBe(CARD_OTHER);
    expect(scheme('3590000000000001')).toBe(CARD_NONE);
    expect(scheme('2024052012345678')).toBe(CARD_NONE); // order numbers starting with a year
    expect(isValidBankCard('6222021234567890128')).toBe(true);
    expect(isValidBankCard('2024052012345678')).toBe(false);
  });

  it('ISO 7064 MOD 97-10 (custom-recognizer menu)', () => {
    // IBAN GB82 WEST 1234 5698 7654 32, rearranged (country and check digits moved to the end).
    expect(isMod97Valid('WEST12345698765432GB82')).toBe(true);
    expect(isMod97Valid('WEST12345698765432GB83')).toBe(false);
  });
});
