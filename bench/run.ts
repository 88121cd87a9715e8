// `npm run bench`: our engines against their anchors, side by side in one run, with the ratio.
// Results go to bench/results/<name>.json (not committed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workdaysBench } from './workdays.bench.ts';

export interface BenchResult {
  name: string;
  description: string;
  ours: { label: string; opsPerSecond: number };
  anchor: { label: string; opsPerSecond: number };
  /** ours / anchor: above 1 means we are faster. */
  ratio: number;
  checked: string;
  node: string;
  at: string;
}

const results: BenchResult[] = [workdaysBench()];
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
for (const r of results) {
  writeFileSync(join(dir, `${r.name}.json`), `${JSON.stringify(r, null, 2)}\n`);
  console.log(
    `${r.name}: ours ${r.ours.opsPerSecond.toFixed(0)} ops/s, ${r.anchor.label} ${r.anchor.opsPerSecond.toFixed(0)} ops/s, ratio ${r.ratio.toFixed(2)} (${r.checked})`,
  );
}
