// Data levels (GB/T 43697-2024 数据分类分级规则, domain.md §1): core > important > general, with general data
// graded further into 4级 … 1级. Pure data and order; every module that compares levels uses this file.

/** Level codes, highest (most sensitive) first. */
export const LEVELS = ['core', 'important', 'general-4', 'general-3', 'general-2', 'general-1'] as const;
export type Level = (typeof LEVELS)[number];

export interface LevelInfo {
  code: Level;
  zh: string;
  en: string;
  /**
   * Higher is more sensitive: general-N has rank N (so 一般数据（4级）is rank 4), important 5, core 6. A
   * rank, not a position, so that "rank ≥ 4" reads the same as "general-4 or above".
   */
  rank: number;
}

export const LEVEL_INFO: Record<Level, LevelInfo> = {
  core: { code: 'core', zh: '核心数据', en: 'Core data', rank: 6 },
  important: { code: 'important', zh: '重要数据', en: 'Important data', rank: 5 },
  'general-4': { code: 'general-4', zh: '一般数据（4级）', en: 'General data (level 4)', rank: 4 },
  'general-3': { code: 'general-3', zh: '一般数据（3级）', en: 'General data (level 3)', rank: 3 },
  'general-2': { code: 'general-2', zh: '一般数据（2级）', en: 'General data (level 2)', rank: 2 },
  'general-1': { code: 'general-1', zh: '一般数据（1级）', en: 'General data (level 1)', rank: 1 },
};

/** The level list as a scheme stores and the API shows it, highest first. */
export const LEVEL_LIST: readonly LevelInfo[] = LEVELS.map((code) => LEVEL_INFO[code]);

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** Positive when `a` is higher (more sensitive) than `b`, negative when lower, 0 when equal. */
export function compareLevels(a: Level, b: Level): number {
  return LEVEL_INFO[a].rank - LEVEL_INFO[b].rank;
}

/** The highest of the levels given (就高从严), ignoring null/undefined; null when there is none. */
export function maxLevel(levels: Iterable<Level | null | undefined>): Level | null {
  let top: Level | null = null;
  for (const l of levels) {
    if (l == null) continue;
    if (top === null || compareLevels(l, top) > 0) top = l;
  }
  return top;
}
