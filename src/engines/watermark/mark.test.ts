import { describe, expect, it } from 'vitest';
import { canonicalValue } from './cells.ts';
import { createMarker, markRow, markRows } from './mark.ts';
import { planMarks } from './plan.ts';
import { FIELDS, fieldsFor, isValidResidentId, makeRecipients, makeTable, maskRow } from './test-data.ts';

const table = makeTable(10_000, 7);
const recipients = makeRecipients(6, 11, 'm', 0);

describe('PRT-8 marks never make a value wrong for its legitimate use', () => {
  it('keeps every value at its declared precision over 10,000 rows (all fields masked, and none masked)', () => {
    // Collect problems and assert once: 10,000 rows × 11 fields × 6 recipients is too many expect() calls.
    expect(recipients[0]!.masking).toEqual({ xm: 'partial', sfzh: 'partial', lxdh: 'partial', jzdz: 'partial' });
    expect(recipients[1]!.masking).toEqual({ xm: 'none', sfzh: 'none', lxdh: 'none', jzdz: 'none' });
    const problems: string[] = [];
    const check = (ok: boolean, what: () => string) => {
      if (!ok && problems.length < 20) problems.push(what());
    };
    // recipient 0 gets names, IDs, phones and addresses partially masked; recipient 1 gets them in clear
    for (const rec of recipients.slice(0, 2)) {
      const fields = fieldsFor(rec.masking);
      const marker = createMarker(planMarks(fields), rec.markKey);
      let changed = 0;
      for (const row of table) {
        const delivered = maskRow(rec, row);
        const marked = marker.markRow(delivered);
        for (const f of fields) {
          const before = delivered[f.name];
          const after = marked[f.name];
          if (before !== after) changed++;
          // decimals round to the same value, times truncate to the same minute, text is NFKC-equal
          check(canonicalValue(f, after) === canonicalValue(f, before), () => `${f.name}: ${String(before)} → ${String(after)}`);
        }
        // identifiers, integers, dates and booleans are untouched (the very same values); a masked
        // identifier (display value) only changes its mask characters' width
        for (const name of ['cs', 'csrq', 'sfyx']) check(marked[name] === delivered[name], () => `${name} changed`);
        for (const name of ['sfzh', 'lxdh']) {
          if (rec.masking[name] === 'none') check(marked[name] === delivered[name], () => `${name} changed`);
          else check((marked[name] as string).normalize('NFKC') === delivered[name], () => `masked ${name} changed`);
        }
        if (rec.masking.sfzh === 'none') check(isValidResidentId(marked.sfzh as string), () => `invalid ID ${String(marked.sfzh)}`);
        check(typeof marked.mj === 'number' && typeof marked.je === 'string' && marked.blsj instanceof Date, () => 'cell type changed');
      }
      expect(changed).toBeGreaterThan(table.length * 3); // amounts, areas, times, addresses and remarks carry marks
    }
    expect(problems).toEqual([]);
  });

  it('gives different recipients different marks on the same rows', () => {
    const [a, b] = recipients.map((rec) => createMarker(planMarks(fieldsFor({})), rec.markKey));
    let same = 0;
    for (const row of table.slice(0, 1000)) if (a!.markRow(row).je === b!.markRow(row).je) same++;
    expect(same).toBeLessThan(40); // 1 in 98 by chance
  });

  it('is pure and streams: input rows are not modified, rows are produced one by one', () => {
    const plan = planMarks(FIELDS);
    const row = { ...table[0]! };
    const copy = { ...row };
    const out = markRow(plan, recipients[0]!.markKey, row);
    expect(row).toEqual(copy);
    expect(out).not.toBe(row);
    let pulled = 0;
    const source = (function* () {
      for (const r of table) {
        pulled++;
        yield r;
      }
    })();
    const it = markRows(plan, recipients[0]!.markKey, source);
    it.next();
    it.next();
    expect(pulled).toBe(2);
    expect(markRow(plan, recipients[0]!.markKey, table[5]!)).toEqual(createMarker(plan, recipients[0]!.markKey).markRow(table[5]!));
  });

  it('leaves empty cells and unknown columns alone and refuses a short key', () => {
    const plan = planMarks(FIELDS);
    const out = markRow(plan, recipients[0]!.markKey, { je: null, mj: undefined, bz: '', extra: '3.10' });
    expect(out).toEqual({ je: null, mj: undefined, bz: '', extra: '3.10' });
    expect(() => createMarker(plan, Buffer.alloc(8))).toThrow(/mark key/);
  });
});
