// Character tables for the non-ASCII side of the scanner: one 16-bit flag word per BMP code point (built on
// first use), so a CJK character costs one decode and one table read. Also the keyword lists of the
// sensitive categories (PIPL art. 28, GB/T 35273 Annex B; domain.md §2) and the NFKC tables that tell the
// fast path when a character would change the ASCII text after normalisation.
import { T_KW_BIOMETRIC, T_KW_CRIMINAL, T_KW_FINANCIAL, T_KW_HEALTH, T_KW_LOCATION, T_KW_MINOR, T_KW_RELIGION } from './types.ts';

// Flags are set only on characters with a role, so an ordinary Han character reads 0 and costs one test.
export const F_PROVINCE = 2;
export const F_ADDR_ADMIN = 4;
export const F_ADDR_STREET = 8;
export const F_ADDR_NUMBER = 16;
export const F_KEYWORD = 32;
export const F_PLATE_TAIL = 64;
/** NFKC turns the character into ASCII letters or digits: the cell takes the normalising path. */
export const F_NORM_ALWAYS = 256;
/** NFKC turns it into ASCII punctuation with a role (joiner, '@', '+', '(', ')', '_', '%'): normalise when next to ASCII alphanumerics. */
export const F_NORM_ADJACENT = 512;
/** NFKC turns it into ':' (IPv6 only): normalise when it follows an ASCII alphanumeric. */
export const F_NORM_COLON = 1024;
export const F_NIAN = 2048;
export const F_YUE = 4096;
export const F_RI = 8192;
export const F_NAME_DOT = 16384;

/** Single-character surnames (the common ones, covering the great majority of people) and the first characters of compound surnames. */
export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由上东皇令长宇端独西轩';

/** Province abbreviations that open a licence plate. */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
/** Characters that end special plates (coach, police, trailer, Hong Kong/Macau, consulate, test, over-limit). */
export const PLATE_TAILS = '学警挂港澳领试超';

const ADDR_ADMIN = '省市区县旗镇乡村州盟';
const ADDR_STREET = '路街道巷弄胡里';
const ADDR_NUMBER = '号栋幢楼室层座组户';

/** Keywords of the sensitive categories. Two characters or more; the longest match at a position wins. */
export const KEYWORDS: Readonly<Record<number, readonly string[]>> = {
  [T_KW_HEALTH]: [
    '病历',
    '病史',
    '病例',
    '诊断',
    '确诊',
    '疾病',
    '患有',
    '患者',
    '艾滋病',
    '乙肝',
    '丙肝',
    '梅毒',
    '肺结核',
    '结核病',
    '精神病',
    '精神疾病',
    '抑郁症',
    '癌症',
    '肿瘤',
    '糖尿病',
    '高血压',
    '传染病',
    '体检',
    '住院',
    '门诊',
    '手术',
    '处方',
    '过敏史',
    '残疾',
    '怀孕',
    '流产',
    '不孕',
    '性病',
  ],
  [T_KW_RELIGION]: ['宗教', '信仰', '佛教', '基督教', '天主教', '伊斯兰教', '道教', '穆斯林', '礼拜', '受洗', '皈依', '教徒', '信教'],
  [T_KW_BIOMETRIC]: ['指纹', '人脸', '面部特征', '虹膜', '声纹', '掌纹', '指静脉', '基因', '步态', '生物识别', '视网膜'],
  [T_KW_CRIMINAL]: ['犯罪', '前科', '刑事', '服刑', '刑满释放', '判处', '拘留', '违法记录', '吸毒', '劳教', '缓刑', '假释', '通缉', '在逃', '涉案'],
  [T_KW_FINANCIAL]: [
    '银行账户',
    '银行账号',
    '银行卡',
    '开户行',
    '存款',
    '贷款',
    '征信',
    '信用记录',
    '交易记录',
    '交易流水',
    '银行流水',
    '账户余额',
    '信用卡',
    '工资卡',
    '支付账户',
  ],
  [T_KW_LOCATION]: ['行踪', '轨迹', '行程记录', '定位信息', '实时定位', '经纬度', '位置信息', '住宿记录', '出行记录', '出入记录', '乘车记录', '活动范围'],
  [T_KW_MINOR]: ['未成年', '儿童', '幼儿', '婴儿', '婴幼儿', '新生儿', '小学生', '初中生', '学龄前', '监护人', '未满十四', '不满十四'],
};
/** Uppercase ASCII words counted as keywords. */
export const ASCII_KEYWORDS: Readonly<Record<string, number>> = {
  HIV: T_KW_HEALTH,
  AIDS: T_KW_HEALTH,
  DNA: T_KW_BIOMETRIC,
  GPS: T_KW_LOCATION,
};
/** Words that make a date in the same cell a date of birth. Internal type number -1: context only, no finding. */
export const DOB_CONTEXT = ['出生', '生日', '生于', '诞生'];
export const KW_CONTEXT_DOB = -1;

export interface Keyword {
  /** Code points after the first (already normalised). */
  rest: Uint16Array;
  type: number;
}

export interface CjkTables {
  /** Flag word per BMP code point. */
  info: Uint16Array;
  /** The same without keyword starts (columns whose name already says what they hold). */
  infoNoKeywords: Uint16Array;
  /** The same without keyword starts and plate provinces (names, addresses, identifier columns). */
  infoShapes: Uint16Array;
  /** 1 for surname characters (checked when a whole value may be a name). */
  surname: Uint8Array;
  /** NFKC of each BMP code point when that is one BMP character, else the code point itself. */
  norm1: Uint16Array;
  /** Keyword lists by first code point (index + 1 into `keywordLists`; 0 = none). */
  keywordIndex: Uint16Array;
  keywordLists: Keyword[][];
  /** Bit set over (first, second) character pairs of the keywords: most flagged characters start no keyword. */
  keywordPairs: Uint32Array;
}

/** The keywordPairs bit of a character pair. */
export function pairBit(cp1: number, cp2: number): number {
  return (Math.imul(cp1, 0x9e3779b1) ^ Math.imul(cp2, 0x85ebca6b)) >>> 12;
}

let tables: CjkTables | null = null;

const ASCII_ALNUM = /[A-Za-z0-9]/;
const ASCII_ROLE = /[ +\-./@()_%]/;

/** CJK unified ideographs (with extension A) and compatibility ideographs. */
export function isHan(cp: number): boolean {
  return (cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff);
}

/** Builds the tables on first use (≈ 20 ms: every BMP code point is normalised once). */
export function cjkTables(): CjkTables {
  if (tables) return tables;
  const info = new Uint16Array(65536);
  const surname = new Uint8Array(65536);
  const norm1 = new Uint16Array(65536);
  for (let cp = 0; cp < 65536; cp++) norm1[cp] = cp;
  for (let cp = 0x80; cp < 65536; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCharCode(cp);
    const nf = ch.normalize('NFKC');
    if (nf === ch) continue;
    if (nf.length === 1) norm1[cp] = nf.charCodeAt(0);
    if (ASCII_ALNUM.test(nf)) info[cp] |= F_NORM_ALWAYS;
    else if (ASCII_ROLE.test(nf)) info[cp] |= F_NORM_ADJACENT;
    else if (nf.includes(':')) info[cp] |= F_NORM_COLON;
  }
  const mark = (chars: string, flag: number) => {
    for (const ch of chars) info[ch.charCodeAt(0)] |= flag;
  };
  for (const ch of SURNAMES) surname[ch.charCodeAt(0)] = 1;
  mark(PLATE_PROVINCES, F_PROVINCE);
  mark(PLATE_TAILS, F_PLATE_TAIL);
  mark(ADDR_ADMIN, F_ADDR_ADMIN);
  mark(ADDR_STREET, F_ADDR_STREET);
  mark(ADDR_NUMBER, F_ADDR_NUMBER);
  mark('年', F_NIAN);
  mark('月', F_YUE);
  mark('日', F_RI);
  mark('·•', F_NAME_DOT);
  const keywordIndex = new Uint16Array(65536);
  const keywordLists: Keyword[][] = [];
  const add = (word: string, type: number) => {
    const first = word.charCodeAt(0);
    let idx = keywordIndex[first];
    if (idx === 0) {
      keywordLists.push([]);
      idx = keywordLists.length;
      keywordIndex[first] = idx;
      info[first] |= F_KEYWORD;
    }
    const rest = new Uint16Array(word.length - 1);
    for (let i = 1; i < word.length; i++) rest[i - 1] = word.charCodeAt(i);
    keywordLists[idx - 1].push({ rest, type });
  };
  for (const [type, words] of Object.entries(KEYWORDS)) for (const w of words) add(w, Number(type));
  for (const w of DOB_CONTEXT) add(w, KW_CONTEXT_DOB);
  for (const list of keywordLists) list.sort((a, b) => b.rest.length - a.rest.length);
  const keywordPairs = new Uint32Array(1 << 15);
  const setPair = (a: number, b: number) => {
    const bit = pairBit(a, b);
    keywordPairs[bit >>> 5] |= 1 << (bit & 31);
  };
  // Compatibility characters (e.g. CJK compatibility ideographs) take the flags of what they normalise to.
  for (let cp = 0x80; cp < 65536; cp++) {
    const n = norm1[cp];
    if (n !== cp) {
      info[cp] |= info[n] & ~(F_NORM_ALWAYS | F_NORM_ADJACENT | F_NORM_COLON);
      if (keywordIndex[n] !== 0 && keywordIndex[cp] === 0) keywordIndex[cp] = keywordIndex[n];
      if (surname[n] === 1) surname[cp] = 1;
    }
  }
  // Pairs, including every compatibility variant of the first two characters.
  const variants = new Map<number, number[]>();
  for (let cp = 0x80; cp < 65536; cp++) {
    const n = norm1[cp];
    if (n !== cp) variants.set(n, [...(variants.get(n) ?? []), cp]);
  }
  for (let first = 0; first < 65536; first++) {
    const idx = keywordIndex[first];
    if (idx === 0) continue;
    for (const kw of keywordLists[idx - 1]) {
      const second = kw.rest[0];
      for (const v of [second, ...(variants.get(second) ?? [])]) setPair(first, v);
    }
  }
  const infoNoKeywords = info.map((f) => f & ~F_KEYWORD);
  const infoShapes = infoNoKeywords.map((f) => f & ~F_PROVINCE);
  tables = { info, infoNoKeywords, infoShapes, surname, norm1, keywordIndex, keywordLists, keywordPairs };
  return tables;
}
