// Column-name hints: what a column's name says it holds. Chinese names are matched by phrase (most specific
// phrase first: '法定代表人身份证号' is an ID column, not a name column); ASCII names are split into tokens
// (snake_case, camelCase, digits) and each token, and the whole name without separators, is looked up among
// the pinyin abbreviations common in Chinese government schemas (xm 姓名, sfzh 身份证号, lxdh 联系电话, …)
// and English words. A token must match whole: 'xmmc' (项目名称) is not 'xm'.
import {
  T_ADDRESS,
  T_BANK_CARD,
  T_DOB,
  T_EMAIL,
  T_HK_MACAU,
  T_IPV4,
  T_IPV6,
  T_KW_BIOMETRIC,
  T_KW_CRIMINAL,
  T_KW_FINANCIAL,
  T_KW_HEALTH,
  T_KW_LOCATION,
  T_KW_MINOR,
  T_KW_RELIGION,
  T_LANDLINE,
  T_MOBILE,
  T_NAME,
  T_ORG_CODE,
  T_PASSPORT,
  T_PLATE,
  T_RESIDENT_ID,
  T_TAIWAN,
  T_USCC,
} from './types.ts';

const bit = (...types: number[]) => types.reduce((m, t) => m | (1 << t), 0);

/** Phrases in Chinese column names, most specific first; the first phrase found decides. */
const ZH_RULES: readonly (readonly [readonly string[], number])[] = [
  [['统一社会信用代码', '社会信用代码', '信用代码'], bit(T_USCC)],
  [['组织机构代码', '机构代码'], bit(T_ORG_CODE)],
  [['港澳通行证', '往来港澳', '回乡证'], bit(T_HK_MACAU)],
  [['台胞证', '台湾居民'], bit(T_TAIWAN)],
  [['护照'], bit(T_PASSPORT)],
  [['身份证', '身份号码', '公民身份', '证件号'], bit(T_RESIDENT_ID)],
  [['银行卡', '银行账号', '银行帐号', '卡号', '开户账号', '结算账号'], bit(T_BANK_CARD)],
  [['ip地址', 'ip 地址'], bit(T_IPV4, T_IPV6)],
  [['邮箱', '电子邮件', '邮件地址'], bit(T_EMAIL)],
  [['手机', '移动电话'], bit(T_MOBILE)],
  [['固定电话', '座机', '办公电话', '传真'], bit(T_LANDLINE)],
  [['电话', '联系方式'], bit(T_MOBILE, T_LANDLINE)],
  [['车牌', '号牌'], bit(T_PLATE)],
  [['出生地', '籍贯'], bit(T_ADDRESS)],
  [['出生日期', '出生年月', '生日', '出生'], bit(T_DOB)],
  [['地址', '住址', '住所', '居住地', '户籍地', '现居'], bit(T_ADDRESS)],
  [['姓名', '名字'], bit(T_NAME)],
  [['诊断', '病历', '病史', '疾病', '病情', '既往史', '过敏史', '体检', '残疾'], bit(T_KW_HEALTH)],
  [['宗教', '信仰'], bit(T_KW_RELIGION)],
  [['指纹', '人脸', '虹膜', '声纹', '生物特征', '基因'], bit(T_KW_BIOMETRIC)],
  [['犯罪', '前科', '违法记录', '刑事'], bit(T_KW_CRIMINAL)],
  [['轨迹', '行踪', '经纬度', '经度', '纬度', '定位', '位置'], bit(T_KW_LOCATION)],
  [['存款', '余额', '贷款', '征信', '交易流水'], bit(T_KW_FINANCIAL)],
  [['未成年', '儿童', '婴幼儿'], bit(T_KW_MINOR)],
  [['联系人', '法定代表人', '法人代表', '负责人', '申请人', '经办人', '户主', '监护人', '当事人', '驾驶人', '收件人', '寄件人'], bit(T_NAME)],
];

/** Pinyin abbreviations and English words, matched as whole tokens (lower case). */
const TOKEN_RULES: Readonly<Record<string, number>> = {
  // 姓名
  xm: bit(T_NAME),
  xingming: bit(T_NAME),
  fullname: bit(T_NAME),
  realname: bit(T_NAME),
  lxr: bit(T_NAME),
  fddbr: bit(T_NAME),
  // 身份证件
  sfzh: bit(T_RESIDENT_ID),
  sfzhm: bit(T_RESIDENT_ID),
  sfz: bit(T_RESIDENT_ID),
  gmsfhm: bit(T_RESIDENT_ID),
  gmsfzh: bit(T_RESIDENT_ID),
  zjhm: bit(T_RESIDENT_ID),
  sfzjhm: bit(T_RESIDENT_ID),
  idcard: bit(T_RESIDENT_ID),
  idno: bit(T_RESIDENT_ID),
  idnumber: bit(T_RESIDENT_ID),
  idcardno: bit(T_RESIDENT_ID),
  hzhm: bit(T_PASSPORT),
  hzh: bit(T_PASSPORT),
  passport: bit(T_PASSPORT),
  passportno: bit(T_PASSPORT),
  gatxz: bit(T_HK_MACAU),
  txzh: bit(T_HK_MACAU),
  txzhm: bit(T_HK_MACAU),
  tbzh: bit(T_TAIWAN),
  twtxz: bit(T_TAIWAN),
  // 电话
  sjhm: bit(T_MOBILE),
  sjh: bit(T_MOBILE),
  shouji: bit(T_MOBILE),
  yddh: bit(T_MOBILE),
  mobile: bit(T_MOBILE),
  cellphone: bit(T_MOBILE),
  lxdh: bit(T_MOBILE, T_LANDLINE),
  lxfs: bit(T_MOBILE, T_LANDLINE),
  dh: bit(T_MOBILE, T_LANDLINE),
  dianhua: bit(T_MOBILE, T_LANDLINE),
  phone: bit(T_MOBILE, T_LANDLINE),
  tel: bit(T_MOBILE, T_LANDLINE),
  telephone: bit(T_MOBILE, T_LANDLINE),
  gddh: bit(T_LANDLINE),
  bgdh: bit(T_LANDLINE),
  zj: bit(T_LANDLINE),
  // 地址
  dz: bit(T_ADDRESS),
  dizhi: bit(T_ADDRESS),
  zz: bit(T_ADDRESS),
  jzdz: bit(T_ADDRESS),
  hjdz: bit(T_ADDRESS),
  xzz: bit(T_ADDRESS),
  jtzz: bit(T_ADDRESS),
  jtdz: bit(T_ADDRESS),
  txdz: bit(T_ADDRESS),
  zcdz: bit(T_ADDRESS),
  jydz: bit(T_ADDRESS),
  address: bit(T_ADDRESS),
  addr: bit(T_ADDRESS),
  // 出生日期
  csrq: bit(T_DOB),
  csny: bit(T_DOB),
  birthday: bit(T_DOB),
  birthdate: bit(T_DOB),
  dob: bit(T_DOB),
  // 金融账户
  yhkh: bit(T_BANK_CARD),
  yhzh: bit(T_BANK_CARD),
  khzh: bit(T_BANK_CARD),
  bankcard: bit(T_BANK_CARD),
  cardno: bit(T_BANK_CARD),
  accountno: bit(T_BANK_CARD),
  // 单位代码
  tyshxydm: bit(T_USCC),
  shxydm: bit(T_USCC),
  xydm: bit(T_USCC),
  uscc: bit(T_USCC),
  creditcode: bit(T_USCC),
  zzjgdm: bit(T_ORG_CODE),
  jgdm: bit(T_ORG_CODE),
  orgcode: bit(T_ORG_CODE),
  // 车辆、网络
  cph: bit(T_PLATE),
  cphm: bit(T_PLATE),
  hphm: bit(T_PLATE),
  chepai: bit(T_PLATE),
  plate: bit(T_PLATE),
  plateno: bit(T_PLATE),
  yx: bit(T_EMAIL),
  dzyx: bit(T_EMAIL),
  yxdz: bit(T_EMAIL),
  email: bit(T_EMAIL),
  mail: bit(T_EMAIL),
  ip: bit(T_IPV4, T_IPV6),
  ipdz: bit(T_IPV4, T_IPV6),
  ipaddr: bit(T_IPV4, T_IPV6),
  dlip: bit(T_IPV4, T_IPV6),
  loginip: bit(T_IPV4, T_IPV6),
  ipv4: bit(T_IPV4),
  ipv6: bit(T_IPV6),
  // 敏感类别
  zdjg: bit(T_KW_HEALTH),
  jbs: bit(T_KW_HEALTH),
  jws: bit(T_KW_HEALTH),
  gms: bit(T_KW_HEALTH),
  diagnosis: bit(T_KW_HEALTH),
  zjxy: bit(T_KW_RELIGION),
  religion: bit(T_KW_RELIGION),
  fingerprint: bit(T_KW_BIOMETRIC),
  fzjl: bit(T_KW_CRIMINAL),
  wfjl: bit(T_KW_CRIMINAL),
  longitude: bit(T_KW_LOCATION),
  latitude: bit(T_KW_LOCATION),
  lng: bit(T_KW_LOCATION),
  lat: bit(T_KW_LOCATION),
  gps: bit(T_KW_LOCATION),
};

/** Lower-case ASCII tokens of a column name: snake_case, kebab-case, camelCase and digits split. */
export function nameTokens(name: string): string[] {
  const spaced = name.normalize('NFKC').replace(/([a-z])([A-Z])/g, '$1 $2');
  return spaced
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((t) => t.length > 0);
}

const HAS_CJK = /[\u3400-\u9fff]/;

/** Built-in types the column's name suggests, as a bit mask over the internal type numbers. */
export function builtinHintMask(columnName: string): number {
  const name = columnName.normalize('NFKC').trim().toLowerCase();
  if (name === '') return 0;
  if (HAS_CJK.test(name)) {
    for (const [phrases, mask] of ZH_RULES) if (phrases.some((p) => name.includes(p))) return mask;
  }
  let mask = 0;
  const tokens = nameTokens(columnName);
  // Single tokens, and runs of two or three adjacent ones written together (id_card → idcard).
  for (let i = 0; i < tokens.length; i++) {
    let joined = '';
    for (let j = i; j < Math.min(tokens.length, i + 3); j++) {
      joined += tokens[j];
      mask |= TOKEN_RULES[joined] ?? 0;
    }
  }
  return mask;
}

/**
 * Whether a column name matches one of a custom recognizer's hints: a hint with Chinese characters matches
 * when the name contains it; an ASCII hint when it equals a token of the name or the whole name without
 * separators (case-insensitive).
 */
export function nameMatchesHint(columnName: string, hints: readonly string[]): boolean {
  const name = columnName.normalize('NFKC').trim().toLowerCase();
  if (name === '') return false;
  const tokens = nameTokens(columnName);
  const compact = tokens.join('');
  for (const raw of hints) {
    const h = raw.normalize('NFKC').trim().toLowerCase();
    if (h === '') continue;
    if (HAS_CJK.test(h)) {
      if (name.includes(h)) return true;
    } else {
      const hc = h.replace(/[^a-z0-9]+/g, '');
      if (tokens.includes(hc) || compact === hc) return true;
    }
  }
  return false;
}
