// scripts/build-native.mjs, the install step that compiles the native discovery scanner (issue 4): it builds
// once and then only when its sources change, and a machine without a working C compiler still installs
// (one warning line; the scanner keeps its JavaScript path). Run in a copy of the sources, not the tree's build/.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'shuan-build-native-'));
for (const f of ['binding.gyp', 'scripts/build-native.mjs', 'scripts/native-stamp.mjs', 'native/discovery/csv_scan.c']) {
  mkdirSync(join(dir, f, '..'), { recursive: true });
  cpSync(join(root, f), join(dir, f));
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const build = (env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs'), '--quiet'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
const binary = join(dir, 'build', 'Release', 'shuan_discovery.node');
const stamp = join(dir, 'build', 'Release', 'shuan_discovery.stamp');

describe('build-native', () => {
  it('without a working compiler: exit 0, one warning line, no binary', () => {
    const r = build({ CC: '/bin/false', CXX: '/bin/false' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^数据发现原生扫描器未编译.*native discovery scanner not built.*node-gyp exited with 1/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(stamp)).toBe(false);
  });

  it('builds, then does nothing until a source changes', () => {
    const first = build();
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('native discovery scanner built');
    expect(existsSync(binary)).toBe(true);
    const stamped = readFileSync(stamp, 'utf8');
    const again = build();
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('');
    appendFileSync(join(dir, 'native/discovery/csv_scan.c'), '\n// changed\n');
    const rebuilt = build();
    expect(rebuilt.stdout).toContain('native discovery scanner built');
    expect(readFileSync(stamp, 'utf8')).not.toBe(stamped);
  });
});
