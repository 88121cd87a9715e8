// Every built-in recognizer (CLS-2, CLS-3): positives, negatives, token boundaries, overlaps, NFKC with
// offsets in the original text, and that findings carry no matched value.
import { describe, expect, it } from 'vitest';
import { isLuhnValid, isValidResidentId } from './checks.ts';
import { scanText } from './scanner.ts';

const AS_OF = '2025-06-01';
/** 'TYPE:matched text' for each match (the text is cut from the input by the reported offsets). */
function find(text: string, columnName?: string): string[] {
  return scanText(text, { asOf: AS_OF, columnName }).map((m) => `${m.type}:${text.slice(m.start, m.end)}`);
}

describe('resident IDs (CN_RESIDENT_ID)', () => {
  it('finds 18-character IDs (X or x), 15-digit legacy IDs, and IDs written in groups', () => {
    expect(find('身份证号11010519491231002X，')).toEqual(['CN_RESIDENT_ID:11010519491231002X']);
    expect(find('id 11010519491231002x')).toEqual(['CN_RESIDENT_ID:11010519491231002x']);
    expect(find('440524188001010014')).toEqual(['CN_RESIDENT_ID:440524188001010014']);
    expect(find('旧证110105491231002')).toEqual(['CN_RESIDENT_ID:110105491231002']);
    expect(find('110105 19491231 002X')).toEqual(['CN_RESIDENT_ID:110105 19491231 002X']);
    expect(find('110105-1949-1231-002X')).toEqual(['CN_RESIDENT_ID:110105-1949-1231-002X']);
  });
  it('rejects wrong check characters, impossible dates, and IDs inside longer strings', () => {
    expect(find('110105194912310021')).toEqual([]);
    expect(find('110105199902300019')).toEqual([]);
    expect(find('A11010519491231002X')).toEqual([]);
    expect(find('11010519491231002X1')).toEqual([]);
    expect(find('file_11010519491231002X')).toEqual([]);
  });
  it('a valid resident ID is not also a bank card (overlaps by validation strength)', () => {
    // 622... is a UnionPay prefix and this ID passes Luhn too; it is reported once, as an ID.
    const id = '622424198001011155';
    expect(isLuhnValid(id) && isValidResidentId(id, 20250601)).toBe(true);
    expect(find(id)).toEqual(['CN_RESIDENT_ID:622424198001011155']);
  });
});

describe('credit and organisation codes (CN_USCC, CN_ORG_CODE)', () => {
  it('finds valid codes; a phone number inside a credit code is not a phone number', () => {
    expect(find('统一社会信用代码：91350100M000100Y43')).toEqual(['CN_USCC:91350100M000100Y43']);
    expect(find('91110000600037341L')).toEqual(['CN_USCC:91110000600037341L']);
    expect(find('91350100M000100Y44')).toEqual([]);
    expect(find('组织机构代码 D2143569-X')).toEqual(['CN_ORG_CODE:D2143569-X']);
    expect(find('D2143569-1')).toEqual([]);
    // Without the hyphen a 9-character code is too weak alone; a column named for it is enough.
    expect(find('D2143569X')).toEqual([]);
    expect(find('D2143569X', 'zzjgdm')).toEqual(['CN_ORG_CODE:D2143569X']);
  });
});

describe('phones (CN_MOBILE, CN_LANDLINE)', () => {
  it('finds mobiles with +86, spaces and hyphens, full-width', () => {
    expect(find('13812345678')).toEqual(['CN_MOBILE:13812345678']);
    expect(find('手机:+86 138-1234-5678。')).toEqual(['CN_MOBILE:+86 138-1234-5678']);
    expect(find('(+86)13812345678')).toEqual(['CN_MOBILE:(+86)13812345678']);
    expect(find('+8613812345678')).toEqual(['CN_MOBILE:+8613812345678']);
    expect(find('138 1234 5678 或 139-8765-4321')).toEqual(['CN_MOBILE:138 1234 5678', 'CN_MOBILE:139-8765-4321']);
    expect(find('电话１３８１２３４５６７８')).toEqual(['CN_MOBILE:１３８１２３４５６７８']);
    expect(find('13812345678/13987654321')).toEqual(['CN_MOBILE:13812345678', 'CN_MOBILE:13987654321']);
  });
  it('rejects numbers that only look like mobiles', () => {
    expect(find('12812345678')).toEqual([]);
    expect(find('138123456789')).toEqual([]);
    expect(find('X13812345678')).toEqual([]);
    expect(find('13812345678.00')).toEqual([]);
    expect(find('138-1234-567')).toEqual([]);
  });
  it('finds landlines with area codes and 400/800 numbers; bare digits only in phone columns', () => {
    expect(find('010-62345678')).toEqual(['CN_LANDLINE:010-62345678']);
    expect(find('(0755)2345678')).toEqual(['CN_LANDLINE:(0755)2345678']);
    expect(find('0571 87654321')).toEqual(['CN_LANDLINE:0571 87654321']);
    expect(find('+86 10 62345678')).toEqual(['CN_LANDLINE:+86 10 62345678']);
    expect(find('400-810-8888')).toEqual(['CN_LANDLINE:400-810-8888']);
    expect(find('010-12345678')).toEqual([]); // local numbers do not start with 1
    expect(find('001-62345678')).toEqual([]);
    expect(find('01062345678')).toEqual([]);
    expect(find('01062345678', '固定电话')).toEqual(['CN_LANDLINE:01062345678']);
  });
});

describe('bank cards (BANK_CARD)', () => {
  it('finds cards by scheme prefix, length and Luhn, in groups of four', () => {
    expect(find('卡号6222021234567890128')).toEqual(['BANK_CARD:6222021234567890128']);
    expect(find('6222 0212 3456 7890 128')).toEqual(['BANK_CARD:6222 0212 3456 7890 128']);
    expect(find('4111-1111-1111-1111')).toEqual(['BANK_CARD:4111-1111-1111-1111']);
    expect(find('622202 1234567890128')).toEqual(['BANK_CARD:622202 1234567890128']);
  });
  it('rejects Luhn failures, unknown prefixes and order numbers', () => {
    expect(find('4111111111111112')).toEqual([]);
    expect(find('2024052012345678')).toEqual([]);
    expect(find('9111111111111111')).toEqual([]);
  });
  it('a UnionPay number failing Luhn is weak: reported only in a card column', () => {
    expect(find('6222021234567890127')).toEqual([]);
    const inColumn = scanText('6222021234567890127', { asOf: AS_OF, columnName: 'yhkh' });
    expect(inColumn).toHaveLength(1);
    expect(inColumn[0].confidence).toBeLessThan(0.7);
    expect(scanText('6222021234567890128', { asOf: AS_OF, columnName: 'yhkh' })[0].confidence).toBeGreaterThan(0.9);
  });
});

describe('documents (CN_PASSPORT, CN_HK_MACAU_PERMIT, CN_TAIWAN_PERMIT)', () => {
  it('finds passports and permits by their formats', () => {
    expect(find('护照E12345678')).toEqual(['CN_PASSPORT:E12345678']);
    expect(find('EA1234567 G12345678 DE1234567')).toEqual(['CN_PASSPORT:EA1234567', 'CN_PASSPORT:G12345678', 'CN_PASSPORT:DE1234567']);
    expect(find('C12345678 CA1234567 H12345678 M12345678')).toEqual([
      'CN_HK_MACAU_PERMIT:C12345678',
      'CN_HK_MACAU_PERMIT:CA1234567',
      'CN_HK_MACAU_PERMIT:H12345678',
      'CN_HK_MACAU_PERMIT:M12345678',
    ]);
    expect(find('EI1234567 E1234567 e12345678 E123456789')).toEqual([]);
    expect(find('12345678')).toEqual([]);
    expect(find('12345678', '台胞证号')).toEqual(['CN_TAIWAN_PERMIT:12345678']);
  });
});

describe('licence plates (CN_LICENSE_PLATE)', () => {
  it('finds ordinary, new-energy, special and dotted plates', () => {
    expect(find('粤B12345')).toEqual(['CN_LICENSE_PLATE:粤B12345']);
    expect(find('车牌京AD12345，沪A12345F')).toEqual(['CN_LICENSE_PLATE:京AD12345', 'CN_LICENSE_PLATE:沪A12345F']);
    expect(find('粤B1234学 苏E·A1234')).toEqual(['CN_LICENSE_PLATE:粤B1234学', 'CN_LICENSE_PLATE:苏E·A1234']);
  });
  it('rejects plates with I or O, too few digits, lower case, or no province', () => {
    expect(find('粤BI2345 粤BABCD1 粤b12345 美B12345 粤B123456789')).toEqual([]);
  });
});

describe('network identifiers (EMAIL, IPV4, IPV6)', () => {
  it('finds e-mail addresses and replaces what is inside them', () => {
    expect(find('邮箱zhang.san@example.com.cn。')).toEqual(['EMAIL:zhang.san@example.com.cn']);
    expect(find('13812345678@qq.com')).toEqual(['EMAIL:13812345678@qq.com']);
    expect(find('a@b zhang@localhost x@y.c1 @qq.com')).toEqual([]);
  });
  it('finds IPv4 and IPv6; rejects versions, times and MAC addresses', () => {
    expect(find('IP 192.168.1.10')).toEqual(['IPV4:192.168.1.10']);
    expect(find('2001:db8::8a2e:370:7334 fe80::1 ::ffff:192.0.2.1')).toEqual(['IPV6:2001:db8::8a2e:370:7334', 'IPV6:fe80::1', 'IPV6:::ffff:192.0.2.1']);
    expect(find('2001:0db8:85a3:0000:0000:8a2e:0370:7334')).toEqual(['IPV6:2001:0db8:85a3:0000:0000:8a2e:0370:7334']);
    expect(find('1.2.3.4.5 256.1.1.1 12:30:45 00:1A:2B:3C:4D:5E 1:2:3')).toEqual([]);
  });
});

describe('dates of birth (DATE_OF_BIRTH)', () => {
  it('needs a birth-date column or a context word', () => {
    expect(find('1990-01-15')).toEqual([]);
    expect(find('1990-01-15', 'csrq')).toEqual(['DATE_OF_BIRTH:1990-01-15']);
    expect(find('19900115', '出生日期')).toEqual(['DATE_OF_BIRTH:19900115']);
    expect(find('出生于1990年1月15日')).toEqual(['DATE_OF_BIRTH:1990年1月15日']);
    expect(find('生日：1990/1/15')).toEqual(['DATE_OF_BIRTH:1990/1/15']);
    expect(find('1990-02-30', 'csrq')).toEqual([]);
    expect(find('2099-01-01', 'csrq')).toEqual([]);
  });
});

describe('names and addresses (CN_NAME, CN_ADDRESS): by column', () => {
  it('reports a whole value that has the shape, in a column named for it', () => {
    expect(find('张三', 'xm')).toEqual(['CN_NAME:张三']);
    expect(find('欧阳娜娜', '姓名')).toEqual(['CN_NAME:欧阳娜娜']);
    expect(find('买买提·艾力', 'xm')).toEqual(['CN_NAME:买买提·艾力']);
    expect(find('不详', 'xm')).toEqual([]);
    expect(find('张三')).toEqual([]);
    expect(find('广东省深圳市南山区科技园路88号3栋1201室', 'jzdz')).toEqual(['CN_ADDRESS:广东省深圳市南山区科技园路88号3栋1201室']);
    expect(find('深圳市星河科技有限公司', 'jzdz')).toEqual([]);
  });
});

describe('sensitive-category keywords (PIPL art. 28)', () => {
  it('finds the keyword of each category in free text', () => {
    expect(find('患者确诊高血压，住院治疗')).toEqual(['KW_HEALTH:患者', 'KW_HEALTH:确诊', 'KW_HEALTH:高血压', 'KW_HEALTH:住院']);
    expect(find('信仰佛教')).toEqual(['KW_RELIGION:信仰', 'KW_RELIGION:佛教']);
    expect(find('采集指纹和人脸，DNA比对')).toEqual(['KW_BIOMETRIC:指纹', 'KW_BIOMETRIC:人脸', 'KW_BIOMETRIC:DNA']);
    expect(find('有犯罪前科')).toEqual(['KW_CRIMINAL_RECORD:犯罪', 'KW_CRIMINAL_RECORD:前科']);
    expect(find('银行账户余额和贷款')).toEqual(['KW_FINANCIAL_ACCOUNT:银行账户', 'KW_FINANCIAL_ACCOUNT:贷款']);
    expect(find('行踪轨迹')).toEqual(['KW_LOCATION_TRACK:行踪', 'KW_LOCATION_TRACK:轨迹']);
    expect(find('未成年人的监护人')).toEqual(['KW_MINOR:未成年', 'KW_MINOR:监护人']);
    expect(find('婴幼儿')).toEqual(['KW_MINOR:婴幼儿']);
  });
  it('not in columns whose name says what they hold', () => {
    expect(find('人民医院住院部', 'jzdz')).toEqual([]);
  });
});

describe('normalisation and offsets', () => {
  it('reports offsets in the original text for full-width input', () => {
    const text = '手机：１３８－１２３４－５６７８，邮箱：ａｂｃ＠ｑｑ．ｃｏｍ';
    const found = scanText(text, { asOf: AS_OF });
    expect(found.map((m) => [m.type, text.slice(m.start, m.end)])).toEqual([
      ['CN_MOBILE', '１３８－１２３４－５６７８'],
      ['EMAIL', 'ａｂｃ＠ｑｑ．ｃｏｍ'],
    ]);
  });
  it('counts offsets in UTF-16 code units across astral characters', () => {
    const text = '😀𠀀13812345678';
    expect(scanText(text, { asOf: AS_OF }).map((m) => [m.start, m.end])).toEqual([[4, 15]]);
  });
  it('findings carry positions, never the matched value', () => {
    const [m] = scanText('13812345678', { asOf: AS_OF });
    expect(Object.keys(m).sort()).toEqual(['confidence', 'end', 'start', 'type']);
    expect(JSON.stringify(m)).not.toContain('13812345678');
  });
});
