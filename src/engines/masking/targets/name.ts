// Personal names (domain.md §3): Han names keep the surname (张*, 欧阳**: compound surnames are kept whole),
// ethnic-minority names written with a middle dot keep the first character and the dots (阿***·***), Latin
// names keep the first letter and the spaces. Tokens are invented names of the same shape.
import type { KeyedStream } from '../keys.ts';
import { maskRun, normalise } from '../text.ts';
import type { IdentifierFormat, PartialOptions } from './types.ts';

/** Compound (two-character) surnames; a name starting with one keeps both characters. */
// biome-ignore format: a list
export const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕',
  '令狐', '钟离', '闾丘', '端木', '独孤', '南宫', '西门', '百里', '呼延', '万俟', '澹台', '公冶', '太史', '申屠',
  '赫连', '拓跋', '完颜', '司空', '濮阳', '淳于', '单于', '左丘', '东郭', '梁丘', '第五', '羊舌', '微生', '公羊',
  '乐正', '宗政', '谷梁', '漆雕', '壤驷', '公良', '巫马', '亓官', '司寇', '子车', '颛孙', '段干', '东门', '公西',
  '歐陽', '司馬', '諸葛', '皇甫', '尉遲', '公孫', '長孫', '夏侯', '令狐', '鍾離', '獨孤', '南宮', '呼延',
]);

const HAN = /^[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+$/u;
const HAN_WITH_DOTS = /^[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+(?:[·•・‧.．][\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+)+$/u;
const LATIN = /^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F .'-]{0,62}$/;
const DOTS = /[·•・‧.．]/;

type Parsed = { kind: 'han'; chars: string[] } | { kind: 'dotted'; parts: string[][] } | { kind: 'latin'; words: string[] };

/** A Han name of BMP characters without spaces (the common case), checked without a Unicode regex. */
function plainHan(s: string): boolean {
  if (s.length === 0 || s.length > 40) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff))) return false;
  }
  return true;
}

function parse(raw: string): Parsed | null {
  if (plainHan(raw)) return { kind: 'han', chars: Array.from(raw) };
  const s = normalise(raw);
  const compact = s.replace(/\s+/g, '');
  if (HAN.test(compact)) return compact.length > 40 ? null : { kind: 'han', chars: Array.from(compact) };
  if (HAN_WITH_DOTS.test(compact)) return { kind: 'dotted', parts: compact.split(DOTS).map((p) => Array.from(p)) };
  if (LATIN.test(s)) return { kind: 'latin', words: s.split(/\s+/) };
  return null;
}

/** How many leading characters form the surname: 2 for a compound surname followed by a given name, else 1. */
export function surnameLength(chars: readonly string[]): number {
  return chars.length >= 3 && COMPOUND_SURNAMES.has(`${chars[0]}${chars[1]}`) ? 2 : 1;
}

/** Masks the units of `units` in order except the first kf and last kl, at least one always hidden. */
function maskUnits(units: readonly string[], kf: number, kl: number, o: PartialOptions): string {
  while (kf + kl >= units.length && (kf > 0 || kl > 0)) kl > 0 ? kl-- : kf--;
  const hidden = units.length - kf - kl;
  return units.slice(0, kf).join('') + maskRun(o.maskChar, o.fixedMaskLength ?? hidden) + units.slice(units.length - kl).join('');
}

function maskSeparated(parts: readonly string[][], sep: string, kf: number, kl: number, o: PartialOptions): string {
  const total = parts.reduce((n, p) => n + p.length, 0);
  while (kf + kl >= total && (kf > 0 || kl > 0)) kl > 0 ? kl-- : kf--;
  let out = '';
  let i = 0;
  for (let j = 0; j < parts.length; j++) {
    if (j > 0) out += sep;
    for (const c of parts[j] as string[]) {
      out += i < kf || i >= total - kl ? c : o.maskChar;
      i++;
    }
  }
  return out;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const COMPOUND_LIST = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '慕容', '司徒', '夏侯', '令狐'];
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯晨欣怡子涵梓轩雨欣佳琪思远博文嘉怡梦瑶俊杰';
const TRANSLIT = '阿买提尔克古丽热依拉木努斯汗娜扎巴图日格乐其德尼合麦吾孜';
const LATIN_LOWER = 'abcdefghijklmnoprstuvwy';

function fakeHan(rnd: KeyedStream, length: number, compound: boolean): string {
  const surname = compound ? (COMPOUND_LIST[rnd.int(COMPOUND_LIST.length)] as string) : rnd.pick(SURNAMES);
  let out = surname;
  const given = Math.max(1, length - (compound ? 2 : 1));
  for (let i = 0; i < given; i++) out += rnd.pick(GIVEN);
  return out;
}

export const name: IdentifierFormat = {
  unit: 'characters',
  maxKept: 3,
  partialDefaults: { keepFirst: null, keepLast: 0 },
  canonical(s) {
    const p = parse(s);
    if (p === null) return null;
    if (p.kind === 'han') return p.chars.join('');
    if (p.kind === 'dotted') return p.parts.map((x) => x.join('')).join('·');
    return p.words.join(' ').toLowerCase();
  },
  // keepFirst −1 means the default: the surname for Han names, one character otherwise.
  partial(s, o) {
    if (plainHan(s)) {
      // Fast path: one UTF-16 unit per character.
      let kf = o.keepFirst < 0 ? (s.length >= 3 && COMPOUND_SURNAMES.has(s.slice(0, 2)) ? 2 : 1) : o.keepFirst;
      let kl = o.keepLast;
      while (kf + kl >= s.length && (kf > 0 || kl > 0)) kl > 0 ? kl-- : kf--;
      return s.slice(0, kf) + maskRun(o.maskChar, o.fixedMaskLength ?? s.length - kf - kl) + s.slice(s.length - kl);
    }
    const p = parse(s);
    if (p === null) return null;
    if (p.kind === 'han') return maskUnits(p.chars, o.keepFirst < 0 ? surnameLength(p.chars) : o.keepFirst, o.keepLast, o);
    const kf = o.keepFirst < 0 ? 1 : o.keepFirst;
    // A fixed mask length hides the shape too: the kept characters, then the mask, without separators.
    if (o.fixedMaskLength !== undefined) return maskUnits(p.kind === 'dotted' ? p.parts.flat() : p.words.flatMap((w) => Array.from(w)), kf, o.keepLast, o);
    if (p.kind === 'dotted') return maskSeparated(p.parts, '·', kf, o.keepLast, o);
    return maskSeparated(
      p.words.map((w) => Array.from(w)),
      ' ',
      kf,
      o.keepLast,
      o,
    );
  },
  token(s, rnd) {
    const p = parse(s);
    if (p === null) return null;
    if (p.kind === 'han') return fakeHan(rnd, Math.min(Math.max(p.chars.length, 2), 4), surnameLength(p.chars) === 2);
    if (p.kind === 'dotted') return p.parts.map((part) => part.map(() => rnd.pick(TRANSLIT)).join('')).join('·');
    return p.words.map((w) => Array.from(w, (_, i) => (i === 0 ? rnd.pick(LATIN_LOWER).toUpperCase() : rnd.pick(LATIN_LOWER))).join('')).join(' ');
  },
};
