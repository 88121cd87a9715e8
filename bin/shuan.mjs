#!/usr/bin/env node
// Entry for the `shuan` command.
//
// `shuan serve` (the long-running server, what `npm start` runs) runs from JavaScript compiled at start (when src/ changed)
// into dist/server/ (gitignored; nothing built is committed): one esbuild bundle of src/, node_modules left
// as they are. Under tsx's loader the TypeScript is compiled in a loader thread with its own V8 heap that
// stays alive for the life of the process: ≈ 50 MB of resident memory that serving never uses (measured with
// bench/gateway.ts, docs/sharing-contract.md "Speed"). Stack traces name the bundle's lines; the linked source
// map beside it maps them back (`node --enable-source-maps bin/shuan.mjs serve`; not on by default, as
// holding the map costs memory too). Every other command runs through tsx (no build step):
// they are short, and the bundle would cost them a second for nothing. SHUAN_SERVE_TSX=1 serves through tsx
// too (e.g. where dist/ cannot be written; that is also the fallback when compiling fails).
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const root = join(import.meta.dirname, '..');
const command = process.argv.slice(2).find((a) => !a.startsWith('-'));

if (command === 'serve') {
  // After each full GC V8 lets the old generation grow to up to 4× what survived before the next one (on a
  // machine with memory to spare). Under 50 concurrent gateway requests nearly every request's garbage is
  // promoted before it dies, so the heap swelled to ≈ 2.5× its live size and held it: ≈ 80 MB of dead objects
  // resident (bench/gateway.ts). 1.5× bounds that; the cost is more frequent (incremental, concurrent) full
  // GCs, which left throughput unchanged in the bench. This flag is read at each GC, so setting it here, before
  // the server starts, takes effect (unlike the heap-size flags, fixed when V8 starts).
  v8.setFlagsFromString('--heap-growing-percent=50');
}

const compiled = command === 'serve' && process.env.SHUAN_SERVE_TSX !== '1' ? await compileServer() : null;
if (compiled) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

/**
 * Bundles src/cli/main.ts into dist/server/shuan.mjs, unless the bundle there is newer than every source file,
 * this script and the installed packages (then a start costs no compile); null (serve through tsx) when
 * compiling fails.
 */
async function compileServer() {
  const out = join(root, 'dist', 'server', 'shuan.mjs');
  try {
    const { newest } = await import('../scripts/newest.mjs');
    const sources = Math.max(newest(join(root, 'src')), newest(import.meta.filename), newest(join(root, 'node_modules', '.package-lock.json')));
    if (newest(out) > sources) return out;
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [join(root, 'src', 'cli', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      outfile: out,
      sourcemap: 'linked',
      logLevel: 'silent',
      plugins: [
        {
          // Packages stay in node_modules, loaded by Node as under tsx; JSON data (the workday table) is
          // inlined, as esbuild does not keep the `with { type: 'json' }` an external import needs.
          name: 'packages-external',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, (a) => (a.path.endsWith('.json') ? null : { path: a.path, external: true }));
          },
        },
      ],
    });
    mkdirSync(dirname(out), { recursive: true });
    // Written under a temporary name and renamed: two starts at once never import a half-written file.
    for (const file of result.outputFiles) {
      const tmp = `${file.path}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(tmp, file.contents);
      try {
        renameSync(tmp, file.path);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw err;
      }
    }
    return out;
  } catch (err) {
    console.error(`数安：编译服务端失败，改用 tsx 运行 / compiling the server failed, serving through tsx: ${err.message}`);
    return null;
  }
}
