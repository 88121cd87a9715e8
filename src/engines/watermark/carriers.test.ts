import { describe, expect, it } from 'vitest';
import { canonicalValue, parseClock, parseDecimal, roundUnits } from './cells.ts';
import { markDecimal, observeDecimal } from './decimal.ts';
import { deriveTable, MINUTE_SLOTS, VALUE_SLOTS } from './keys.ts';
import { markSeconds, observeSeconds } from './seconds.ts';
import { keyFrom, rng } from './test-data.ts';
import { markMask, markText, maskRuns, observeMask, observeText, textPositions, textSlot } from './text.ts';

const key = keyFrom(rng(42));
const other = keyFrom(rng(43));

describe('PRT-8 mark tables (HMAC-SM3 seed, SM4-CTR keystream)', () => {
  it('are deterministic per key, carrier and field, and differ otherwise', () => {
    const t = deriveTable(key, 'decimal', 'je');
    expect(t).toHaveLength(VALUE_SLOTS);
    expect(deriveTable(key, 'decimal', 'je')).toEqual(t);
    expect(deriveTable(other, 'decimal', 'je')).not.toEqual(t);
    expect(deriveTable(key, 'decimal', 'mj')).not.toEqual(t);
    expect(deriveTable(key, 'text', 'je')).not.toEqual(t);
    expect(deriveTable(key, 'seconds', 'blsj')).toHaveLength(MINUTE_SLOTS);
    expect(() => deriveTable(Buffer.alloc(8), 'decimal', 'je')).toThrow();
  });

  it('look uniform: each of the 98 decimal offsets about equally often', () => {
    const counts = new Array(98).fill(0);
    for (let f = 0; f < 25; f++) for (const c of deriveTable(key, 'decimal', `f${f}`)) counts[c]++;
    const expected = (25 * VALUE_SLOTS) / 98;
    // chi-square with 97 degrees of freedom: above 160 happens with probability < 1e-4
    const chi = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(160);
  });
});

describe('PRT-8 decimal carrier', () => {
  const table = deriveTable(key, 'decimal', 'je');

  it('never changes the value at the declared scale, its sign or its order', () => {
    const r = rng(1);
    const values: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const cents = Math.floor(r() * 2_000_000) - 1_000_000;
      if (cents === 0) continue;
      const text = `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
      const marked = markDecimal(text, 2, table) as string;
      expect(marked).toMatch(/^-?\d+\.\d{4}$/);
      const d = parseDecimal(marked)!;
      expect(roundUnits(d, 2)).toBe(BigInt(cents)); // half away from zero
      expect(Number(Number(marked).toFixed(2))).toBe(cents / 100); // what a spreadsheet shows at 0.00
      expect(Math.sign(Number(marked))).toBe(Math.sign(cents));
      expect(marked).not.toBe(text);
      values.push(cents, Number(marked));
    }
    // order: values 0.01 apart never swap, because |offset| ≤ 0.0049
    const pairs: [number, number][] = [];
    for (let i = 0; i < values.length; i += 2) pairs.push([values[i]!, values[i + 1]!]);
    pairs.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < pairs.length; i++) if (pairs[i]![0] > pairs[i - 1]![0]) expect(pairs[i]![1]).toBeGreaterThan(pairs[i - 1]![1]);
  });

  it('keeps the offsets zero-mean, so totals drift by noise, not bias', () => {
    let sum = 0;
    for (let slot = 0; slot < VALUE_SLOTS; slot++) {
      const c = table[slot]!;
      sum += c < 49 ? -(c + 1) : c - 48;
    }
    expect(Math.abs(sum / VALUE_SLOTS)).toBeLessThan(2); // mean offset in units of 0.0001, uniform on ±1…±49
  });

  it('keeps the cell type and leaves zero, over-precise, formatted and huge values alone', () => {
    expect(typeof markDecimal(293.83, 2, table)).toBe('number');
    expect(markDecimal('0.00', 2, table)).toBe('0.00');
    expect(markDecimal(0, 2, table)).toBe(0);
    expect(markDecimal('3.14159', 2, table)).toBe('3.14159');
    expect(markDecimal('1,234.50', 2, table)).toBe('1,234.50');
    expect(markDecimal(1234567890123.45, 2, table)).toBe(1234567890123.45); // 17 digits: a double cannot carry the mark
    expect(typeof markDecimal('1234567890123.45', 2, table)).toBe('string'); // text can
    expect(markDecimal(null, 2, table)).toBeNull();
  });

  it('is read back through every re-typing, and not from unmarked values', () => {
    const marked = markDecimal('52144.53', 2, table) as string;
    const o = observeDecimal(marked, 2)!;
    expect(o).not.toBeNull();
    for (const form of [Number(marked), ` ${marked} `, `${marked}0`, Number(marked).toLocaleString('en-US', { maximumFractionDigits: 4 })]) {
      expect(observeDecimal(form, 2), String(form)).toEqual(o);
    }
    expect(observeDecimal('52144.53', 2)).toBeNull();
    expect(observeDecimal(52144.5, 2)).toBeNull();
    expect(observeDecimal('52144.5350', 2)).toBeNull(); // a tie is no mark of ours
    expect(observeDecimal('52144.53311', 2)).toBeNull(); // more digits than a mark writes
  });
});

describe('PRT-8 seconds carrier', () => {
  const table = deriveTable(key, 'seconds', 'blsj');

  it('writes seconds 1–29 so truncating or rounding to the minute gives the true minute', () => {
    for (let m = 0; m < 60; m++) {
      const d = new Date(Date.UTC(2024, 2, 5, 2, m));
      const marked = markSeconds(d, table) as Date;
      const s = marked.getUTCSeconds();
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(29);
      expect(marked.getUTCMinutes()).toBe(m);
      expect(Math.round(marked.getTime() / 60_000) * 60_000).toBe(d.getTime());
    }
  });

  it('rewrites text in its own format, and is read back after zone changes and reformatting', () => {
    const a = markSeconds('2024-03-05 10:30:00', table) as string;
    const b = markSeconds('2024-03-05 10:30', table) as string;
    expect(a).toMatch(/^2024-03-05 10:30:(0[1-9]|1\d|2\d)$/);
    expect(b).toBe(a);
    const o = observeSeconds(a)!;
    const ss = a.slice(-2);
    for (const form of [`2024/3/5 10:30:${ss}`, `2024-03-05T02:30:${ss}.000Z`, `2024-03-05T10:30:${ss}+08:00`, `2024年3月5日 10时30分${ss}秒`]) {
      expect(observeSeconds(form), form).toEqual(o);
    }
    expect(markSeconds(new Date('2024-03-05T02:30:00Z'), table)).toEqual(new Date(`2024-03-05T02:30:${ss}Z`));
  });

  it('leaves times that already have seconds, and cells without a time, alone', () => {
    expect(markSeconds('2024-03-05 10:30:17', table)).toBe('2024-03-05 10:30:17');
    expect(markSeconds('2024-03-05', table)).toBe('2024-03-05');
    expect(markSeconds(45356.5, table)).toBe(45356.5);
    expect(observeSeconds('2024-03-05 10:30:00')).toBeNull();
    expect(observeSeconds('2024-03-05 10:30:45')).toBeNull(); // 30–59 is never a mark
    expect(parseClock(markSeconds('2024-03-05 10:30:00.000', table))?.millisecond).toBe(0);
  });
});

describe('PRT-8 text and mask carriers', () => {
  const text = deriveTable(key, 'text', 'jzdz');
  const mask = deriveTable(key, 'mask', 'xm');
  const nfkc = (s: unknown) => (s as string).normalize('NFKC');

  it('finds short runs and punctuation between Chinese, never identifiers, decimals, times, URLs or e-mail', () => {
    const show = (s: string) => textPositions(s).map((p) => s.slice(p.start, p.end));
    expect(show('北京市朝阳区建国路88号院3号楼2单元1203室')).toEqual(['88', '3', '2', '1203']);
    expect(show('已于3月5日电话回访，无异常。')).toEqual(['3', '5', '，']);
    expect(show('联系人王先生，电话13812345678')).toEqual(['，']);
    expect(show('金额3.5万元，时间10:30，共1,000份')).toEqual(['，']);
    expect(show('详见 https://a.gov.cn/x 或 a@b.cn；编号A-12')).toEqual([]);
    expect(show('备注：见附件!')).toEqual(['：', '!']);
    expect(show('身份证110105194912310020')).toEqual([]);
  });

  it('changes only widths: NFKC gives back the original, identifiers inside text are untouched', () => {
    const r = rng(9);
    const samples = ['北京市朝阳区建国路88号院3号楼2单元1203室', '已于3月5日电话回访，无异常。', '联系人王先生，电话13812345678', '窗口12号受理；复核：通过'];
    for (let i = 0; i < 200; i++) {
      const s = samples[i % samples.length]!.replace(/\d+/, String(Math.floor(r() * 999)));
      const marked = markText(s, text) as string;
      expect(nfkc(marked)).toBe(nfkc(s));
      expect(marked.length).toBe(s.length);
      expect(textSlot(marked)).toBe(textSlot(s));
      expect(textPositions(marked)).toEqual(textPositions(s));
      if (s.includes('13812345678')) expect(marked).toContain('13812345678');
    }
  });

  it('is read back after trimming, re-spacing and a JSON round trip; NFKC erases it', () => {
    const s = '北京市朝阳区建国路88号院3号楼2单元1203室';
    let marked = s;
    let k = 0;
    // find a field table whose word gives this text at least one full-width position
    for (; marked === s || !/[０-９]/.test(marked); k++) marked = markText(s, deriveTable(key, 'text', `f${k}`)) as string;
    const o = observeText(marked)!;
    expect(o.count).toBe(4);
    expect(observeText(`  ${marked}\t`)).toEqual(o);
    expect(observeText(JSON.parse(JSON.stringify(marked)))).toEqual(o);
    expect(observeText(nfkc(marked))).toBeNull(); // all half-width: no observation
    expect(observeText(s)).toBeNull();
  });

  it('marks mask runs with * or ＊ and nothing else', () => {
    const values = ['张*', '欧阳**', '110105********002X', '138****5678'];
    const seen = new Set<string>();
    for (let k = 0; k < 40; k++) {
      const t = deriveTable(key, 'mask', `m${k}`);
      for (const v of values) {
        const marked = markMask(v, t) as string;
        seen.add(marked);
        expect(nfkc(marked)).toBe(v);
        expect(maskRuns(marked)).toHaveLength(1);
      }
    }
    expect(seen).toContain('138＊＊＊＊5678');
    expect(seen).toContain('138****5678');
    expect(observeMask('138****5678')).toBeNull();
    expect(observeMask('138＊＊＊＊5678')).toEqual({ slot: textSlot('138****5678'), bits: 1, count: 1 });
    expect(observeMask(markMask('138****5678', mask))?.bits ?? 0).toBe(mask[textSlot('138****5678')]! & 1);
  });

  it('canonical text is the same before and after the mark', () => {
    const f = { name: 'bz', dataType: 'text' };
    const s = '转办至A区服务中心，29个工作日内办结';
    expect(canonicalValue(f, markText(s, text))).toBe(canonicalValue(f, s));
  });
});
