// `npm run bench`: our engines against their anchors, side by side in one run, with the ratio.
// Results go to bench/results/<name>.json (not committed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditBench } from './audit.bench.ts';
import { discoveryBench } from './discovery.bench.ts';
import { gatewayBench } from './gateway.ts';
import { gmBench, sm3Bench } from './gm.bench.ts';
import { maskingBench } from './masking.bench.ts';
import { sourcesBench } from './sources.bench.ts';
import { watermarkBench } from './watermark.bench.ts';
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

// Each entry runs one benchmark family and returns its results (one JSON file per result). Run one family
// with `npm run bench -- NAME` (the entry's key).
const benches: Record<string, () => BenchResult[] | Promise<BenchResult[]>> = {
  sources: () => sourcesBench(),
  workdays: () => [workdaysBench()],
  discovery: () => discoveryBench(),
  masking: maskingBench,
  watermark: () => watermarkBench(),
  gm: () => gmBench(),
  sm3: () => sm3Bench(),
  audit: () => auditBench(),
  gateway: () => gatewayBench(),
};

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = only.filter((n) => !(n in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const results: BenchResult[] = [];
for (const [name, run] of Object.entries(benches)) {
  if (only.length === 0 || only.includes(name)) results.push(...(await run()));
}
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
for (const r of results) {
  writeFileSync(join(dir, `${r.name}.json`), `${JSON.stringify(r, null, 2)}\n`);
  console.log(
    `${r.name}: ours ${r.ours.opsPerSecond.toFixed(0)} ops/s, ${r.anchor.label} ${r.anchor.opsPerSecond.toFixed(0)} ops/s, ratio ${r.ratio.toFixed(2)} (${r.checked})`,
  );
}
