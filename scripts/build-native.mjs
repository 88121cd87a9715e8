#!/usr/bin/env node
// Builds the native twin of the discovery scanner's CSV fast path (native/discovery/csv_scan.c, issue 4)
// with node-gyp and the machine's C compiler, when build/Release/shuan_discovery.node is missing or was
// built from other sources. Run by `npm ci`/`npm install` (the package's install script), `npm start`,
// `npm test` (test/global-setup.ts) and the benchmark. Nothing built is committed.
//
// It never fails the install: without a compiler the scanner keeps its JavaScript path (same results,
// slower) and this prints one line saying so. `--strict` makes a failed build an error (exit 1).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NATIVE_BINARY, nativeStamp, readBuiltStamp, writeBuiltStamp } from './native-stamp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');

/** npm's own node-gyp: npm names it in lifecycle scripts; otherwise it sits beside npm. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

export function buildNative({ quiet = false } = {}) {
  const want = nativeStamp(root);
  if (readBuiltStamp(root) === want) return true;
  const gyp = nodeGyp();
  const fail = (why) => {
    const line = `数据发现原生扫描器未编译，使用 JavaScript 路径（结果相同，较慢） / native discovery scanner not built, using the JavaScript path (same results, slower): ${why}`;
    if (strict) {
      console.error(line);
      process.exit(1);
    }
    console.warn(line);
    return false;
  };
  if (gyp === null) return fail('node-gyp not found');
  // Node's own headers (npm passes its nodedir setting to lifecycle scripts; elsewhere they sit beside node):
  // node-gyp must not try to download them (the machine reaches only the npm registry).
  const args = [gyp, 'rebuild', '--release'];
  const nodedir = process.env.npm_config_nodedir || dirname(dirname(process.execPath));
  if (existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodedir}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (r.status !== 0) {
    // The first line that names an error (a compiler's "error:", node-gyp's "Error:"), else the last one.
    const lines = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').filter((l) => l.trim() !== '');
    const detail = quiet ? ` ${(lines.find((l) => /\berror\b|Error:/.test(l) && !/^gyp ERR! (node|node-gyp) -v/.test(l)) ?? lines.at(-1) ?? '').trim()}` : '';
    return fail(`node-gyp exited with ${r.status ?? r.signal}${detail}`);
  }
  writeBuiltStamp(root, want);
  if (quiet) console.log(`数据发现原生扫描器已编译 / native discovery scanner built: ${NATIVE_BINARY}`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildNative({ quiet: process.argv.includes('--quiet') });
}
