// Newest modification time under a path: how the start scripts tell a build from its sources (web/dist for
// scripts/ensure-web.mjs, dist/server for bin/shuan.mjs) without rebuilding what is already current.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time under `path` (a file or a directory, recursively); 0 if it does not exist. */
export function newest(path, filter = () => true) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return filter(path) ? st.mtimeMs : 0;
  let max = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, entry.name), filter));
  }
  return max;
}
