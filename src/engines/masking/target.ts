// The kinds of value the masking engine knows how to mask (PRT-4). These are the engine's own words: the
// caller maps a catalog field (PI type + data type) to one MaskTarget. `pi` marks targets that are personal
// information by their kind alone; the scenario floors of policy.ts apply to them whatever the grade says.

export const MASK_TARGETS = [
  'name',
  'resident_id',
  'passport',
  'mobile',
  'landline',
  'email',
  'bank_card',
  'plate',
  'ipv4',
  'ipv6',
  'uscc',
  'address',
  'birth_date',
  'age',
  'date',
  'datetime',
  'integer',
  'decimal',
  'text',
] as const;
export type MaskTarget = (typeof MASK_TARGETS)[number];

/** How a target's values look: identifiers have a format, the others are dates, numbers, addresses or text. */
export type TargetKind = 'identifier' | 'address' | 'date' | 'number' | 'text';

export interface TargetInfo {
  kind: TargetKind;
  pi: boolean;
  zh: string;
  en: string;
}

export const TARGET_INFO: Record<MaskTarget, TargetInfo> = {
  name: { kind: 'identifier', pi: true, zh: '姓名', en: 'Name' },
  resident_id: { kind: 'identifier', pi: true, zh: '居民身份证号码', en: 'Resident ID number' },
  passport: { kind: 'identifier', pi: true, zh: '护照及通行证号码', en: 'Passport or permit number' },
  mobile: { kind: 'identifier', pi: true, zh: '手机号码', en: 'Mobile number' },
  landline: { kind: 'identifier', pi: true, zh: '固定电话', en: 'Landline number' },
  email: { kind: 'identifier', pi: true, zh: '电子邮箱', en: 'Email address' },
  bank_card: { kind: 'identifier', pi: true, zh: '银行卡号', en: 'Bank card number' },
  plate: { kind: 'identifier', pi: true, zh: '车牌号码', en: 'Vehicle plate' },
  ipv4: { kind: 'identifier', pi: true, zh: 'IPv4 地址', en: 'IPv4 address' },
  ipv6: { kind: 'identifier', pi: true, zh: 'IPv6 地址', en: 'IPv6 address' },
  uscc: { kind: 'identifier', pi: false, zh: '统一社会信用代码', en: 'Unified social credit code' },
  address: { kind: 'address', pi: true, zh: '地址', en: 'Address' },
  birth_date: { kind: 'date', pi: true, zh: '出生日期', en: 'Date of birth' },
  age: { kind: 'number', pi: true, zh: '年龄', en: 'Age' },
  date: { kind: 'date', pi: false, zh: '日期', en: 'Date' },
  datetime: { kind: 'date', pi: false, zh: '日期时间', en: 'Date and time' },
  integer: { kind: 'number', pi: false, zh: '整数', en: 'Integer' },
  decimal: { kind: 'number', pi: false, zh: '数值', en: 'Decimal' },
  text: { kind: 'text', pi: false, zh: '文本', en: 'Text' },
};

export function isMaskTarget(value: unknown): value is MaskTarget {
  return typeof value === 'string' && Object.hasOwn(TARGET_INFO, value);
}
