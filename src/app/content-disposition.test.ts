import { describe, expect, it } from 'vitest';
import { attachmentHeader } from './content-disposition.ts';

describe('attachmentHeader', () => {
  it('keeps an ASCII name as both the fallback and the encoded name', () => {
    expect(attachmentHeader('audit-1-20.jsonl')).toBe(`attachment; filename="audit-1-20.jsonl"; filename*=UTF-8''audit-1-20.jsonl`);
  });

  it('gives a Chinese name an ASCII fallback and the UTF-8 name percent-encoded', () => {
    const h = attachmentHeader('常住人口.csv', 'open-data.csv');
    expect(h).toBe(`attachment; filename="open-data.csv"; filename*=UTF-8''%E5%B8%B8%E4%BD%8F%E4%BA%BA%E5%8F%A3.csv`);
    // Node refuses header values outside Latin-1: the value must be plain ASCII.
    expect(/^[\x20-\x7e]*$/.test(h)).toBe(true);
  });

  it('replaces quotes, backslashes and non-ASCII in the derived fallback and encodes RFC 5987 specials', () => {
    const h = attachmentHeader(`报告"(1)'\\*.xlsx`);
    expect(h).toBe(`attachment; filename="___(1)'_*.xlsx"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%22%281%29%27%5C%2A.xlsx`);
    expect(decodeURIComponent(h.split("UTF-8''")[1] as string)).toBe(`报告"(1)'\\*.xlsx`);
  });
});
