// PRT-4: partial masks (domain.md §3 display masks) and format-preserving tokens for each identifier target,
// including full-width input, separators and malformed values.
import { describe, expect, it } from 'vitest';
import { isValidOrgCode, isValidUscc, makeUscc } from '../../identifiers/uscc.ts';
import { gb11643Valid, KEY_A, KEY_B, luhnValid, maskAll, maskOne, validCalendarDate, validProvince } from '../test-helpers.ts';

const partial = { method: 'partial' } as const;
const token = { method: 'token' } as const;

describe('names (PRT-4)', () => {
  it('keeps the surname: 张* and, for compound surnames, 欧阳**', () => {
    expect(maskOne('name', partial, '张三')).toBe('张*');
    expect(maskOne('name', partial, '张三丰')).toBe('张**');
    expect(maskOne('name', partial, '欧阳娜娜')).toBe('欧阳**');
    expect(maskOne('name', partial, '司马光')).toBe('司马*');
    expect(maskOne('name', partial, '诸葛孔明')).toBe('诸葛**');
  });

  it('keeps one character when a would-be compound surname is the whole name', () => {
    // 欧阳 alone (2 characters) cannot keep both: something must stay hidden.
    expect(maskOne('name', partial, '欧阳')).toBe('欧*');
    expect(maskOne('name', partial, '张')).toBe('*');
  });

  it('masks ethnic-minority names written with a middle dot, keeping the dots', () => {
    expect(maskOne('name', partial, '阿卜杜拉·买买提')).toBe('阿***·***');
    // Other dot characters and full-width forms are read as the same separator.
    expect(maskOne('name', partial, '阿卜杜拉•买买提')).toBe('阿***·***');
    expect(maskOne('name', partial, '阿卜杜拉．买买提')).toBe('阿***·***');
  });

  it('masks Latin names letter by letter, keeping spaces', () => {
    expect(maskOne('name', partial, 'John Smith')).toBe('J*** *****');
  });

  it('reads full-width spaces and surrounding blanks', () => {
    expect(maskOne('name', partial, '　张　三　')).toBe('张*');
  });

  it('honours keepFirst, keepLast and a fixed mask length', () => {
    expect(maskOne('name', { method: 'partial', params: { keepFirst: 0, keepLast: 1 } }, '张三丰')).toBe('**丰');
    expect(maskOne('name', { method: 'partial', params: { fixedMaskLength: 2 } }, '张三')).toBe('张**');
    expect(maskOne('name', { method: 'partial', params: { maskChar: '○' } }, '李四')).toBe('李○');
    expect(maskOne('name', { method: 'partial', params: { fixedMaskLength: 3 } }, '阿卜杜拉·买买提')).toBe('阿***');
  });

  it('tokens are invented names of the same shape, consistent per key', () => {
    const [a, b] = maskAll('name', token, ['张三丰', '张三丰']).out as string[];
    expect(a).toBe(b);
    expect(a).toMatch(/^[\u4e00-\u9fff]{3}$/);
    expect(a).not.toBe('张三丰');
    expect(maskOne('name', token, '欧阳娜娜')).toMatch(/^(欧阳|司马|上官|诸葛|东方|皇甫|慕容|司徒|夏侯|令狐)[\u4e00-\u9fff]{2}$/);
    expect(maskOne('name', token, '阿卜杜拉·买买提')).toMatch(/^[\u4e00-\u9fff]{4}·[\u4e00-\u9fff]{3}$/);
    expect(maskOne('name', token, '张三丰', KEY_B)).not.toBe(a);
  });

  it('falls back to a full mask for values that are not names, and counts them', () => {
    const { out, stats } = maskAll('name', partial, ['张三', '13812345678', 'a@b.cn', 42, { x: 1 }, '']);
    expect(out.slice(1)).toEqual(['****************', '********', '****', '****', '****']);
    expect(stats.fallback).toBe(5);
  });
});

describe('resident ID numbers (PRT-4, GB 11643)', () => {
  it('keeps the first 6 and last 4 (110105********002X)', () => {
    expect(maskOne('resident_id', partial, '11010519491231002X')).toBe('110105********002X');
    expect(maskOne('resident_id', partial, '11010519491231002x')).toBe('110105********002X');
    expect(maskOne('resident_id', partial, '440524188001010014')).toBe('440524********0014');
  });

  it('offers the first 1 + last 2 variant through parameters', () => {
    expect(maskOne('resident_id', { method: 'partial', params: { keepFirst: 1, keepLast: 2 } }, '11010519491231002X')).toBe('1***************2X');
    expect(maskOne('resident_id', { method: 'partial', params: { groupSize: 6 } }, '11010519491231002X')).toBe('110105 ****** **002X');
  });

  it('reads full-width digits and separators, and legacy 15-digit IDs', () => {
    expect(maskOne('resident_id', partial, '１１０１０５１９４９１２３１００２Ｘ')).toBe('110105********002X');
    expect(maskOne('resident_id', partial, '110105 19491231 002X')).toBe('110105 ******** 002X');
    expect(maskOne('resident_id', partial, '110105491231002')).toBe('110105*****1002');
  });

  it('falls back for malformed values without revealing any digit', () => {
    const { out, stats } = maskAll('resident_id', partial, ['1101051949123100', '11010519491231002Y', 'not an id']);
    for (const o of out) expect(o).toMatch(/^\*+$/);
    expect(stats.fallback).toBe(3);
  });

  it('tokens are valid IDs: province prefix, calendar date and GB 11643 check', () => {
    const originals = Array.from({ length: 300 }, (_, i) => `110105${1950 + (i % 50)}0101${String(i).padStart(3, '0')}`).map((b) => {
      const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
      const sum = [...b].reduce((s, c, i) => s + Number(c) * (w[i] as number), 0);
      return b + ('10X98765432'[sum % 11] as string);
    });
    const { out, stats } = maskAll('resident_id', token, originals);
    expect(stats.fallback).toBe(0);
    for (const [i, t] of (out as string[]).entries()) {
      expect(gb11643Valid(t), t).toBe(true);
      expect(validProvince(Number(t.slice(0, 2))), t).toBe(true);
      expect(validCalendarDate(Number(t.slice(6, 10)), Number(t.slice(10, 12)), Number(t.slice(12, 14))), t).toBe(true);
      expect(t).not.toBe(originals[i]);
    }
    expect(new Set(out).size).toBe(originals.length);
  });

  it('a legacy 15-digit ID and its 18-digit form get the same pseudonym; the token of a 15-digit ID has 15 digits', () => {
    const p = { method: 'pseudonym' } as const;
    expect(maskOne('resident_id', p, '110105491231002')).toBe(maskOne('resident_id', p, '11010519491231002X'));
    const t = maskOne('resident_id', token, '110105491231002') as string;
    expect(t).toMatch(/^\d{15}$/);
    expect(validCalendarDate(1900 + Number(t.slice(6, 8)), Number(t.slice(8, 10)), Number(t.slice(10, 12)))).toBe(true);
  });
});

describe('mobile and landline numbers (PRT-4)', () => {
  it('masks mobiles as 138****5678, keeping +86 and separators', () => {
    expect(maskOne('mobile', partial, '13812345678')).toBe('138****5678');
    expect(maskOne('mobile', partial, '+86 138-1234-5678')).toBe('+86 138-****-5678');
    expect(maskOne('mobile', partial, '+8613812345678')).toBe('+86138****5678');
    expect(maskOne('mobile', partial, '138 1234 5678')).toBe('138 **** 5678');
    expect(maskOne('mobile', partial, '１３８１２３４５６７８')).toBe('138****5678');
    expect(maskOne('mobile', partial, 13812345678)).toBe('138****5678');
  });

  it('falls back for numbers that are not mobiles', () => {
    const { out, stats } = maskAll('mobile', partial, ['12812345678', '1381234567', '+1 138 1234 5678', '010-12345678']);
    for (const o of out) expect(o).toMatch(/^\*+$/);
    expect(stats.fallback).toBe(4);
  });

  it('mobile tokens are 1[3-9] + 9 digits in the same layout, consistent however the number is written', () => {
    const plain = maskOne('mobile', token, '13812345678') as string;
    expect(plain).toMatch(/^1[3-9]\d{9}$/);
    expect(plain).not.toBe('13812345678');
    const written = maskOne('mobile', token, '+86 138-1234-5678') as string;
    expect(written).toBe(`+86 ${plain.slice(0, 3)}-${plain.slice(3, 7)}-${plain.slice(7)}`);
    expect(maskOne('mobile', token, '13812345678', KEY_B)).not.toBe(plain);
  });

  it('masks landlines keeping the first 4 and last 2 digits', () => {
    expect(maskOne('landline', partial, '010-12345678')).toBe('010-1*****78');
    expect(maskOne('landline', partial, '0755-88886666')).toBe('0755-******66');
    expect(maskOne('landline', partial, '(0571) 8765 4321')).toBe('(0571) **** **21');
    expect(maskOne('landline', partial, '400-800-1234')).toBe('400-8**-**34');
  });

  it('landline tokens keep the area code and layout by default', () => {
    const t = maskOne('landline', token, '0755-88886666') as string;
    expect(t).toMatch(/^0755-[2-8]\d{7}$/);
    const other = maskOne('landline', { method: 'token', params: { keepAreaCode: false } }, '0755-88886666') as string;
    expect(other).toMatch(/^0\d{3}-[2-8]\d{7}$/);
  });
});

describe('bank cards (PRT-4, Luhn)', () => {
  it('keeps the first 6 and last 4, grouped by four', () => {
    expect(maskOne('bank_card', partial, '6222021234567890')).toBe('6222 02** **** 7890');
    expect(maskOne('bank_card', partial, '6222 0212 3456 7890')).toBe('6222 02** **** 7890');
    expect(maskOne('bank_card', { method: 'partial', params: { groupSize: 0 } }, '6222-0212-3456-7890')).toBe('6222-02**-****-7890');
    expect(maskOne('bank_card', partial, '６２２２０２１２３４５６７８９０')).toBe('6222 02** **** 7890');
  });

  it('tokens keep the issuer prefix and length and pass Luhn', () => {
    const cards = ['6222021234567890', '4111111111111111', '6228480402564890018', '6222 0212 3456 7890'];
    for (const c of cards) {
      const t = maskOne('bank_card', token, c) as string;
      const digits = t.replace(/\D/g, '');
      const original = c.replace(/\D/g, '');
      expect(digits).toHaveLength(original.length);
      expect(digits.slice(0, 6)).toBe(original.slice(0, 6));
      expect(luhnValid(digits), t).toBe(true);
      expect(digits).not.toBe(original);
      expect(t.replace(/\d/g, '9')).toBe(c.replace(/\d/g, '9'));
    }
    const short = maskOne('bank_card', { method: 'token', params: { keepPrefix: 2 } }, '6222021234567890') as string;
    expect(short.slice(0, 2)).toBe('62');
    expect(luhnValid(short)).toBe(true);
  });
});

describe('email, plates, passports, IP addresses and USCC (PRT-4)', () => {
  it('email keeps the first character of the local part and the domain', () => {
    expect(maskOne('email', partial, 'zhangsan@example.com')).toBe('z***@example.com');
    expect(maskOne('email', partial, 'a@qq.com')).toBe('***@qq.com');
    expect(maskOne('email', partial, 'ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('z***@example.com');
    const { stats } = maskAll('email', partial, ['no-at-sign', 'a@b', 'a b@c.cn']);
    expect(stats.fallback).toBe(3);
  });

  it('email tokens keep the domain unless told not to', () => {
    expect(maskOne('email', token, 'zhangsan@example.com')).toMatch(/^[a-z]{5,9}\d{2}@example\.com$/);
    expect(maskOne('email', { method: 'token', params: { keepDomain: false } }, 'zhangsan@corp.cn')).toMatch(/@example\.com$/);
    expect(maskOne('email', token, 'ZhangSan@Example.com')).toBe(maskOne('email', token, 'zhangsan@example.com'));
  });

  it('plates mask the middle (粤B***45), new-energy plates too', () => {
    expect(maskOne('plate', partial, '粤B12345')).toBe('粤B***45');
    expect(maskOne('plate', partial, '粤BD12345')).toBe('粤B****45');
    expect(maskOne('plate', partial, '京A·12345')).toBe('京A***45');
    expect(maskOne('plate', partial, '粤ｂ１２３４５')).toBe('粤B***45');
    expect(maskAll('plate', partial, ['粤I12345', 'AB12345']).stats.fallback).toBe(2);
  });

  it('plate tokens keep the kind of plate', () => {
    expect(maskOne('plate', token, '粤B12345')).toMatch(/^[\u4e00-\u9fff][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5}$/);
    expect(maskOne('plate', token, '粤BD12345')).toMatch(/^[\u4e00-\u9fff][A-HJ-NP-Z]D\d{5}$/);
    expect(maskOne('plate', token, '粤B1234学')).toMatch(/^[\u4e00-\u9fff][A-HJ-NP-Z]\d{4}学$/);
  });

  it('passports keep the kind letters in tokens and the first and last characters in masks', () => {
    expect(maskOne('passport', partial, 'E12345678')).toBe('E*****678');
    expect(maskOne('passport', token, 'E12345678')).toMatch(/^E\d{8}$/);
    expect(maskOne('passport', token, 'EA1234567')).toMatch(/^E[A-HJ-NP-Z]\d{7}$/);
    expect(maskOne('passport', token, 'DE1234567')).toMatch(/^DE\d{7}$/);
    expect(maskAll('passport', partial, ['E1234567', 'X12345678']).stats.fallback).toBe(2);
  });

  it('IPv4 keeps the first octet; IPv6 the first two groups', () => {
    expect(maskOne('ipv4', partial, '192.168.1.20')).toBe('192.*.*.*');
    expect(maskOne('ipv4', { method: 'partial', params: { keepFirst: 2 } }, '10.1.2.3')).toBe('10.1.*.*');
    expect(maskOne('ipv6', partial, '2001:DB8::1')).toBe('2001:db8:*:*:*:*:*:*');
    expect(maskAll('ipv4', partial, ['256.1.1.1', '1.2.3']).stats.fallback).toBe(2);
  });

  it('IP tokens stay in the same kind of range', () => {
    expect(maskOne('ipv4', token, '192.168.1.20')).toMatch(/^192\.168\.\d+\.\d+$/);
    expect(maskOne('ipv4', token, '10.0.0.1')).toMatch(/^10\./);
    expect(maskOne('ipv6', token, 'fe80::1')).toMatch(/^2001:db8(:[0-9a-f]{1,4}){6}$/);
  });

  it('USCC tokens pass GB 32100 and the embedded GB 11714 check', () => {
    const originals = ['91350100M000100Y43', '91110000600037341L', '11100000000013127D'];
    for (let i = 0; i < 200; i++) originals.push(makeUscc('91', '350100', `MA${String(i).padStart(6, '0')}`));
    for (const o of originals) {
      const t = maskOne('uscc', token, o) as string;
      expect(isValidUscc(t), t).toBe(true);
      expect(isValidOrgCode(t.slice(8, 17)), t).toBe(true);
      expect(t).not.toBe(o);
    }
    expect(maskOne('uscc', partial, '91350100M000100Y43')).toBe('91350100**********');
  });

  it('tokens differ across keys and agree for one key', () => {
    for (const [target, v] of [
      ['uscc', '91350100M000100Y43'],
      ['passport', 'E12345678'],
      ['ipv4', '8.8.8.8'],
      ['email', 'x@y.cn'],
    ] as const) {
      expect(maskOne(target, token, v, KEY_A)).toBe(maskOne(target, token, v, KEY_A));
      expect(maskOne(target, token, v, KEY_A)).not.toBe(maskOne(target, token, v, KEY_B));
    }
  });
});
