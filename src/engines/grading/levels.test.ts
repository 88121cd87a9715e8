import { describe, expect, it } from 'vitest';
import { compareLevels, isLevel, LEVEL_INFO, LEVEL_LIST, LEVELS, type Level, maxLevel } from './levels.ts';

describe('levels (GB/T 43697-2024: core > important > general 4级 … 1级)', () => {
  it('orders core above important above every general sub-level, and general-4 above general-1', () => {
    expect(compareLevels('core', 'important')).toBeGreaterThan(0);
    expect(compareLevels('important', 'general-4')).toBeGreaterThan(0);
    expect(compareLevels('general-4', 'general-3')).toBeGreaterThan(0);
    expect(compareLevels('general-2', 'general-1')).toBeGreaterThan(0);
    expect(compareLevels('general-1', 'core')).toBeLessThan(0);
    expect(compareLevels('general-3', 'general-3')).toBe(0);
  });

  it('sorts a shuffled list from highest to lowest', () => {
    const shuffled: Level[] = ['general-2', 'core', 'general-4', 'general-1', 'important', 'general-3'];
    expect(shuffled.sort((a, b) => compareLevels(b, a))).toEqual(['core', 'important', 'general-4', 'general-3', 'general-2', 'general-1']);
    expect(LEVELS).toEqual(['core', 'important', 'general-4', 'general-3', 'general-2', 'general-1']);
  });

  it('gives general-N the rank N, important 5 and core 6, with the UI names', () => {
    expect(LEVEL_LIST.map((l) => [l.code, l.rank])).toEqual([
      ['core', 6],
      ['important', 5],
      ['general-4', 4],
      ['general-3', 3],
      ['general-2', 2],
      ['general-1', 1],
    ]);
    expect(LEVEL_INFO.core.zh).toBe('核心数据');
    expect(LEVEL_INFO['general-4'].zh).toBe('一般数据（4级）');
  });

  it('maxLevel takes the highest (就高从严) and ignores missing levels', () => {
    expect(maxLevel(['general-2', 'important', 'general-4'])).toBe('important');
    expect(maxLevel(['general-1', null, undefined, 'general-3'])).toBe('general-3');
    expect(maxLevel([])).toBeNull();
    expect(maxLevel([null])).toBeNull();
  });

  it('recognises level codes only', () => {
    expect(isLevel('general-4')).toBe(true);
    expect(isLevel('general-5')).toBe(false);
    expect(isLevel('CORE')).toBe(false);
    expect(isLevel(6)).toBe(false);
  });
});
