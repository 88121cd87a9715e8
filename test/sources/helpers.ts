// Shared by the source tests: temp files, collecting rows, catching SourceErrors, a seeded RNG.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError, type SourceRow, type TabularSource } from '../../src/sources/index.ts';

export function tempDir(prefix: string): { dir: string; file: (name: string, content: string | Uint8Array) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `shuan-${prefix}-`));
  return {
    dir,
    file: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function allRows(source: TabularSource): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of source.rows()) out.push(r);
  return out;
}

/** The SourceError that `work` fails with (the test fails if it succeeds or throws something else). */
export async function sourceError(work: () => Promise<unknown>): Promise<SourceError> {
  try {
    await work();
  } catch (err) {
    if (err instanceof SourceError) return err;
    throw err;
  }
  throw new Error('expected a SourceError, but it succeeded');
}

/** mulberry32: a small seeded PRNG, so statistical tests are repeatable. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
