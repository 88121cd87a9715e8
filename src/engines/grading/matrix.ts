// The determination matrix (GB/T 43697-2024 §6, domain.md §1): (harm object, degree) → level. The scheme
// holds it as data so an authority can adjust it (domain.md marks it "check"); the proposal for a
// resource is the highest level over every harm recorded for it.
import { HARM_DEGREES, HARM_OBJECTS, type Harm, type HarmDegree, type HarmObject } from './harms.ts';
import { type Level, maxLevel } from './levels.ts';

export interface MatrixEntry {
  object: HarmObject;
  degree: HarmDegree;
  level: Level;
}

/**
 * The default matrix, exactly as domain.md §1 states it:
 * - national security: especially serious or serious → core; ordinary → important;
 * - economy, social order, public interest: especially serious → core; serious → important; ordinary →
 *   general. The standard says only "general" here; the sub-level is general-2, the same as ordinary harm
 *   to organisations or individuals, so that harm to the public is never graded below harm to one person;
 * - organisations and individuals (harm to them alone is always general data), graded as the usual reading
 *   of Annex H does: especially serious → general-4, serious → general-3, ordinary → general-2.
 * general-1 comes from no harm in the matrix: it is for data whose harm is negligible (e.g. already
 * public), which a steward chooses with an override reason.
 */
export const DEFAULT_MATRIX: readonly MatrixEntry[] = [
  { object: 'national_security', degree: 'especially_serious', level: 'core' },
  { object: 'national_security', degree: 'serious', level: 'core' },
  { object: 'national_security', degree: 'ordinary', level: 'important' },
  { object: 'economy', degree: 'especially_serious', level: 'core' },
  { object: 'economy', degree: 'serious', level: 'important' },
  { object: 'economy', degree: 'ordinary', level: 'general-2' },
  { object: 'social_order', degree: 'especially_serious', level: 'core' },
  { object: 'social_order', degree: 'serious', level: 'important' },
  { object: 'social_order', degree: 'ordinary', level: 'general-2' },
  { object: 'public_interest', degree: 'especially_serious', level: 'core' },
  { object: 'public_interest', degree: 'serious', level: 'important' },
  { object: 'public_interest', degree: 'ordinary', level: 'general-2' },
  { object: 'organization', degree: 'especially_serious', level: 'general-4' },
  { object: 'organization', degree: 'serious', level: 'general-3' },
  { object: 'organization', degree: 'ordinary', level: 'general-2' },
  { object: 'individual', degree: 'especially_serious', level: 'general-4' },
  { object: 'individual', degree: 'serious', level: 'general-3' },
  { object: 'individual', degree: 'ordinary', level: 'general-2' },
];

/** A harm the matrix has no entry for (only an unvalidated matrix can lack one), or no harm at all. */
export class DeterminationError extends Error {
  constructor(
    readonly code: 'NO_HARMS' | 'NOT_IN_MATRIX',
    message: string,
  ) {
    super(message);
    this.name = 'DeterminationError';
  }
}

export interface Determination {
  level: Level;
  /** Each harm with the level the matrix gives it, in the order given. */
  basis: MatrixEntry[];
}

/** The level the matrix gives these harms: the highest over all of them (就高从严). */
export function determineLevel(matrix: readonly MatrixEntry[], harms: readonly Harm[]): Determination {
  if (harms.length === 0) throw new DeterminationError('NO_HARMS', 'at least one harm is needed to determine a level');
  const basis = harms.map((h) => {
    const entry = matrix.find((e) => e.object === h.object && e.degree === h.degree);
    if (!entry) throw new DeterminationError('NOT_IN_MATRIX', `the matrix has no level for ${h.object} × ${h.degree}`);
    return { object: h.object, degree: h.degree, level: entry.level };
  });
  return { level: maxLevel(basis.map((b) => b.level)) as Level, basis };
}

/** Matrix entries in the canonical order: objects as HARM_OBJECTS, degrees most severe first. */
export function sortMatrix(matrix: readonly MatrixEntry[]): MatrixEntry[] {
  const key = (e: MatrixEntry) => HARM_OBJECTS.indexOf(e.object) * HARM_DEGREES.length + HARM_DEGREES.indexOf(e.degree);
  return [...matrix].sort((a, b) => key(a) - key(b)).map((e) => ({ object: e.object, degree: e.degree, level: e.level }));
}
