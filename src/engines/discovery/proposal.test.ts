// Column inference and proposals (CLS-2, CLS-3, AST-11, DG-23): pass rates against chance, hints, PI
// category per domain.md §2 in the catalog's vocabulary, category and level from the scheme's guide.
import { describe, expect, it } from 'vitest';
import { PI_TYPE_LABELS, PI_TYPES } from '../../modules/catalog/catalog.constants.ts';
import { indexCategories } from '../grading/categories.ts';
import { DEFAULT_CATEGORIES } from '../grading/default-categories.ts';
import { Gen } from './corpus.ts';
import { DEFAULT_PI_MAPPING, PI_SENSITIVE_DEFAULT, PI_TYPE_IDS } from './pi.ts';
import { defaultSchemeGuide, type SchemeGuide } from './proposal.ts';
import { Scanner, type ScanOptions } from './scanner.ts';
import { BUILTIN_TYPES } from './types.ts';

function scanColumns(columns: Record<string, string[]>, opts: ScanOptions = {}) {
  const names = Object.keys(columns);
  const s = new Scanner({ columns: names, asOf: '2025-06-01', ...opts });
  const n = Math.max(...names.map((k) => columns[k].length));
  for (let i = 0; i < n; i++) s.row(names.map((k) => columns[k][i] ?? null));
  return s.finish();
}

describe('PI vocabulary (AST-11, domain.md §2)', () => {
  it('is the catalog vocabulary, with the same default sensitivity', () => {
    expect([...PI_TYPE_IDS]).toEqual([...PI_TYPES]);
    for (const t of PI_TYPE_IDS) expect(PI_SENSITIVE_DEFAULT[t], t).toBe(PI_TYPE_LABELS[t].sensitive);
    for (const t of BUILTIN_TYPES) expect(t in DEFAULT_PI_MAPPING, t).toBe(true);
  });

  it('the default guide names categories of the default scheme', () => {
    const known = indexCategories(DEFAULT_CATEGORIES);
    for (const r of defaultSchemeGuide().rules) if (r.category !== null) expect(known.has(r.category), r.category).toBe(true);
  });
});

describe('column inference', () => {
  const g = new Gen(21);
  const cards = Array.from({ length: 300 }, () => g.bankCard());
  const random16 = Array.from({ length: 300 }, () => {
    const prefix = g.pick(['4', '62', '51']);
    return prefix + g.digits(16 - prefix.length);
  });
  const random62 = Array.from({ length: 300 }, () => `622202${g.digits(13)}`);

  it('a column where ~10% of card-shaped numbers pass Luhn is random numbers, not cards', () => {
    const r = scanColumns({ card: cards, r16: random16, r62: random62 });
    const [card, r16, r62] = r.columns;
    expect(card.proposal.types.map((t) => t.type)).toEqual(['BANK_CARD']);
    expect(card.proposal.types[0].confidence).toBeGreaterThan(0.9);
    expect(card.proposal.piCategory).toBe('sensitive');
    for (const col of [r16, r62]) {
      expect(col.proposal.types).toEqual([]);
      expect(col.proposal.rejected.map((t) => [t.type, t.reasonCode])).toEqual([['BANK_CARD', 'chance_level']]);
      const stats = col.stats.find((s) => s.type === 'BANK_CARD');
      expect((stats?.passed ?? 0) / (stats?.candidates ?? 1)).toBeLessThan(0.2);
      expect(col.proposal.piCategory).toBeNull();
    }
  });

  it('column names help: masked IDs in an ID column, a diagnosis column, names without a hint', () => {
    const masked = Array.from({ length: 50 }, () => `110105********${g.digits(3)}X`);
    const diagnosis = Array.from({ length: 50 }, () => g.pick(['慢性胃炎', '支气管炎', '腰椎间盘突出']));
    const names = Array.from({ length: 50 }, () => g.name());
    const r = scanColumns({ sfzh: masked, 诊断: diagnosis, c3: names });
    const [id, dx, nm] = r.columns;
    expect(id.proposal.types.map((t) => [t.type, t.confidence, t.reasonCode])).toEqual([['CN_RESIDENT_ID', 0.3, 'column_name']]);
    expect(id.proposal.piTypes).toEqual([]); // too weak to label
    expect(dx.proposal.types.map((t) => [t.type, t.reasonCode])).toEqual([['KW_HEALTH', 'column_name']]);
    expect(dx.proposal.piTypes).toEqual(['health']);
    expect(dx.proposal.level).toBe('general-4');
    expect(dx.proposal.category).toBe('health.medical.emr');
    expect(nm.proposal.types.map((t) => t.type)).toEqual(['CN_NAME']);
  });

  it('free text with a few identifiers still holds PI (presence, with its share)', () => {
    const memo = Array.from({ length: 200 }, (_, i) => (i % 50 === 0 ? `请联系${g.mobile()}` : '已办结'));
    const [col] = scanColumns({ bz: memo }).columns;
    const mobile = col.proposal.types.find((t) => t.type === 'CN_MOBILE');
    expect(mobile?.share).toBeCloseTo(0.02, 5);
    expect(mobile?.confidence).toBeGreaterThan(0.9);
    expect(col.proposal.piTypes).toEqual(['phone']);
  });
});

describe('proposals from the scheme guide (CLS-1, CLS-2)', () => {
  it('takes the highest level over a column’s types and a resource’s columns (就高从严), raised for aggregation', () => {
    const r = scanColumns({
      xm: ['张三', '李四', '王五'],
      sjhm: ['13812345678', '13987654321', '13700001111'],
      sfzh: ['11010519491231002X', '440524188001010014', '110105194912310021'],
      tyshxydm: ['91350100M000100Y43', '91110000600037341L', ''],
    });
    const level = (name: string) => r.columns.find((c) => c.name === name)?.proposal.level;
    expect(level('xm')).toBe('general-2');
    expect(level('sjhm')).toBe('general-2');
    expect(level('sfzh')).toBe('general-3');
    expect(level('tyshxydm')).toBe('general-1');
    expect(r.columns.find((c) => c.name === 'tyshxydm')?.proposal.piCategory).toBeNull();
    expect(r.resource.level).toBe('general-3');
    expect(r.resource.piTypes).toEqual(['name', 'phone', 'id_number']);
    expect(r.resource.piCategory).toBe('personal');

    const noIds = scanColumns({ xm: ['张三', '李四'], sjhm: ['13812345678', '13987654321'], dz: ['北京市朝阳区建国路88号', '上海市浦东新区世纪大道100号'] });
    expect(noIds.resource.level).toBe('general-2');
  });

  it('uses the authority’s own guide, its categories and PI mapping overrides', () => {
    const guide: SchemeGuide = {
      rules: [
        { match: 'id_number', category: 'population.identity', level: 'important' },
        { match: 'CN_MOBILE', category: 'not.in.scheme', level: 'general-3' },
      ],
      fallback: { sensitive: 'general-4', personal: 'general-1', other: null },
      aggregation: null,
      categories: ['population.identity'],
    };
    const r = scanColumns(
      { sfzh: ['11010519491231002X'], sjhm: ['13812345678'], yx: ['a@b.com'] },
      { guide, piMapping: { CN_RESIDENT_ID: { piType: 'id_number', sensitive: true } } },
    );
    const [id, mobile, mail] = r.columns;
    expect([id.proposal.level, id.proposal.category, id.proposal.piCategory]).toEqual(['important', 'population.identity', 'sensitive']);
    expect([mobile.proposal.level, mobile.proposal.category]).toEqual(['general-3', null]);
    expect([mail.proposal.level, mail.proposal.category]).toEqual(['general-1', null]);
    expect(r.resource.level).toBe('important');
  });
});
