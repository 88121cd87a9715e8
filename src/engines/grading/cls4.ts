// CLS-4 (DG-10, 就高从严): mixed data takes the highest grade present, so a resource is never graded below
// any of its fields.
import { compareLevels, LEVEL_INFO, type Level } from './levels.ts';

export interface FieldLevel {
  id?: string;
  name: string;
  /** null: the field has no level yet and constrains nothing. */
  level: Level | null;
}

export class LevelBelowFieldError extends Error {
  constructor(
    readonly level: Level,
    /** The highest-graded field above `level` (the first such, when several share that level). */
    readonly field: FieldLevel & { level: Level },
  ) {
    super(`level ${level} is below field ${field.name} (${field.level}); a resource takes the highest level of its fields`);
    this.name = 'LevelBelowFieldError';
  }

  get messageZh(): string {
    return `资源级别（${LEVEL_INFO[this.level].zh}）不得低于其数据项“${this.field.name}”的级别（${LEVEL_INFO[this.field.level].zh}）`;
  }
}

/** The field with the highest level, or null when no field has one. */
export function highestField<F extends FieldLevel>(fields: readonly F[]): (F & { level: Level }) | null {
  let top: (F & { level: Level }) | null = null;
  for (const f of fields) {
    if (f.level === null) continue;
    if (top === null || compareLevels(f.level, top.level) > 0) top = f as F & { level: Level };
  }
  return top;
}

/** Throws LevelBelowFieldError, naming the highest field, when `level` is below any field's level. */
export function assertNotBelowFields(level: Level, fields: readonly FieldLevel[]): void {
  const top = highestField(fields);
  if (top && compareLevels(level, top.level) < 0) throw new LevelBelowFieldError(level, top);
}
