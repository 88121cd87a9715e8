// PostgreSQL errors that are the client's doing, not ours. The services check uniqueness first (for a
// clear message); the unique index still decides when two requests race past that check together, and
// the loser must get the same 409 as a sequential duplicate, never a 500.
import type { AppError } from '../../app/errors.ts';

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}

/** Awaits `work`; a unique violation of a constraint named in `map` becomes that entry's error. */
export async function mapUniqueViolation<T>(work: Promise<T>, map: Record<string, () => AppError>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const constraint = (err as { constraint?: string } | null)?.constraint;
    if (isUniqueViolation(err) && constraint && map[constraint]) throw map[constraint]();
    throw err;
  }
}
