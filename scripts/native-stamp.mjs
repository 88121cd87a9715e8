// What the native discovery scanner was built from: a hash of its sources and the Node ABI. The build
// writes it beside the binary; the loader (src/engines/discovery/native.ts) refuses a binary whose stamp
// does not match the sources in the tree, so an edited C file can never run stale.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const NATIVE_SOURCES = ['binding.gyp', 'native/discovery/csv_scan.c'];
export const NATIVE_BINARY = join('build', 'Release', 'shuan_discovery.node');
const STAMP = join('build', 'Release', 'shuan_discovery.stamp');

export function nativeStamp(root) {
  const h = createHash('sha256');
  h.update(`${process.versions.modules}\n`);
  for (const f of NATIVE_SOURCES) h.update(readFileSync(join(root, f)));
  return h.digest('hex');
}

export function readBuiltStamp(root) {
  try {
    return readFileSync(join(root, STAMP), 'utf8').trim();
  } catch {
    return null;
  }
}

export function writeBuiltStamp(root, stamp) {
  writeFileSync(join(root, STAMP), `${stamp}\n`);
}
