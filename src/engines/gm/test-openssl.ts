// Test helper only (imported by *.test.ts, never by the engine): runs the machine's `openssl` (3.0+) on
// temporary files, for interoperability tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class OpensslDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'shuan-gm-'));

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, data: Uint8Array | string): string {
    const p = this.path(name);
    writeFileSync(p, data);
    return p;
  }

  read(name: string): Buffer {
    return readFileSync(this.path(name));
  }

  /** Runs openssl with the given arguments (cwd = the temp dir); returns stdout. Throws on a non-zero exit. */
  run(...args: string[]): Buffer {
    return execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Runs openssl and reports whether it exited with status 0. */
  ok(...args: string[]): boolean {
    try {
      this.run(...args);
      return true;
    } catch {
      return false;
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
