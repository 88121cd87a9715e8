// The KEK never comes from the database: environment, a named file, or <data dir>/kek.key; a file others
// can read is refused; an existing key file is never overwritten; a missing KEK names the command to run.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultKekPath, Kek, KekError, loadKek, parseKekText, writeKekFile } from './kek.ts';

const dir = mkdtempSync(join(tmpdir(), 'shuan-kek-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof KekError ? err.code : `not a KekError: ${(err as Error).message}`;
  }
  return 'no error';
};

describe('KEK (PRT-5: the key that wraps every data key)', () => {
  it('parses hex and base64 of 32 bytes and refuses anything else', () => {
    const bytes = randomBytes(32);
    expect(parseKekText(` ${bytes.toString('hex')}\n`, 'x').equals(bytes)).toBe(true);
    expect(parseKekText(bytes.toString('base64'), 'x').equals(bytes)).toBe(true);
    expect(parseKekText(bytes.toString('base64url'), 'x').equals(bytes)).toBe(true);
    for (const bad of ['', 'abc', randomBytes(16).toString('hex'), randomBytes(33).toString('hex'), `${bytes.toString('hex').slice(0, 63)}g`]) {
      expect(codeOf(() => parseKekText(bad, 'x'))).toBe('KEK_INVALID');
    }
  });

  it('prefers SHUAN_KEK, then SHUAN_KEK_FILE, then <data dir>/kek.key', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const named = join(dir, 'named.key');
    writeFileSync(named, Kek.serialize(b), { mode: 0o600 });
    const fromEnv = loadKek({ env: { SHUAN_KEK: a.toString('hex'), SHUAN_KEK_FILE: named }, dataDir: dir, createIfMissing: false });
    expect(fromEnv.source).toBe('env');
    expect(fromEnv.id).toBe(new Kek(a, 'env', null).id);
    const fromFile = loadKek({ env: { SHUAN_KEK_FILE: named }, dataDir: dir, createIfMissing: false });
    expect(fromFile.source).toBe('file');
    expect(fromFile.id).toBe(new Kek(b, 'file', null).id);
    expect(fromFile.id).not.toBe(fromEnv.id);
  });

  it('refuses to start without one outside demo mode and says how to create it', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    let message = '';
    try {
      loadKek({ env: {}, dataDir: empty, createIfMissing: false });
    } catch (err) {
      expect(err).toBeInstanceOf(KekError);
      expect((err as KekError).code).toBe('KEK_MISSING');
      message = (err as Error).message;
    }
    expect(message).toContain('shuan keys init');
    expect(codeOf(() => loadKek({ env: { SHUAN_KEK_FILE: join(empty, 'nope.key') }, dataDir: empty, createIfMissing: false }))).toBe('KEK_MISSING');
  });

  it('demo mode creates <data dir>/kek.key with mode 0600 once, then reuses it', () => {
    const demo = mkdtempSync(join(dir, 'demo-'));
    const first = loadKek({ env: {}, dataDir: demo, createIfMissing: true });
    expect(first.source).toBe('created');
    const path = defaultKekPath(demo);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const second = loadKek({ env: {}, dataDir: demo, createIfMissing: true });
    expect(second.source).toBe('file');
    expect(second.id).toBe(first.id);
  });

  it('never overwrites a key file and refuses one that others can read', () => {
    const path = join(dir, 'init.key');
    const kek = writeKekFile(path);
    const before = readFileSync(path, 'utf8');
    expect(codeOf(() => writeKekFile(path))).toBe('KEK_FILE_EXISTS');
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(loadKek({ env: { SHUAN_KEK_FILE: path }, dataDir: dir, createIfMissing: false }).id).toBe(kek.id);
    chmodSync(path, 0o644);
    expect(codeOf(() => loadKek({ env: { SHUAN_KEK_FILE: path }, dataDir: dir, createIfMissing: false }))).toBe('KEK_FILE_UNSAFE');
  });

  it('wraps key material bound to its row: another KEK or another row label cannot open it', () => {
    const kek = Kek.generate();
    const material = randomBytes(32);
    const wrapped = kek.wrap(material, 'row-1');
    expect(wrapped.includes(material)).toBe(false);
    expect(kek.unwrap(wrapped, 'row-1').equals(material)).toBe(true);
    expect(() => kek.unwrap(wrapped, 'row-2')).toThrow();
    expect(() => Kek.generate().unwrap(wrapped, 'row-1')).toThrow();
  });
});
