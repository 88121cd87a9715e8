// `shuan keys init` and the KEK rule at start (PRT-5): outside demo mode the platform refuses to start
// without a key-encryption key and names the command that creates one; the key file is 0600 and never
// overwritten; a start with a KEK other than the database's is refused.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app/services.ts';
import { uuidv7 } from '../../src/db/ids.ts';
import { seedDemoCity } from '../../src/modules/org/demo-seed.ts';
import { Kek } from '../../src/modules/protection/kek.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let t: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'shuan-keys-cli-'));
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.drop();
});

function shuan(args: string[], env: NodeJS.ProcessEnv) {
  const base: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.url, NO_COLOR: '1', PORT: '0', SHUAN_WEB_DIR: join(dir, 'no-web') };
  delete base.SHUAN_KEK;
  delete base.SHUAN_KEK_FILE;
  const r = spawnSync(process.execPath, ['bin/shuan.mjs', ...args], { encoding: 'utf8', env: { ...base, ...env }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('shuan keys', () => {
  it('init writes a 0600 key file once and refuses to overwrite it', () => {
    const path = join(dir, 'prod.key');
    const r = shuan(['keys', 'init', '--out', path, '--format', 'json'], {});
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.file).toBe(path);
    expect(out.kekId).toMatch(/^kek-[0-9a-f]{16}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const before = readFileSync(path, 'utf8');
    const again = shuan(['keys', 'init', '--out', path], {});
    expect(again.code).toBe(1);
    expect(again.err.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('serve refuses to start without a KEK outside demo mode, saying how to create one', () => {
    const empty = mkdtempSync(join(dir, 'data-'));
    const r = shuan(['serve', '--no-demo'], { SHUAN_DATA_DIR: empty });
    expect(r.code).toBe(1);
    expect(r.err).toContain('shuan keys init');
    expect(r.out).not.toContain('listening');
  });

  it('serve refuses a KEK other than the one the database keys are wrapped with', async () => {
    await seedDemoCity(t.db);
    const original = Kek.generate();
    const services = createServices(t.db, original);
    const psb = (await t.db.selectFrom('institutions').select('id').where('name', '=', '示范市公安局').executeTakeFirstOrThrow()).id;
    const systemId = uuidv7();
    await t.db
      .insertInto('systems')
      .values({ id: systemId, institution_id: psb, name: '密钥校验系统', status: 'accepted', trusted_terminals: '[]', storage_carriers: '[]' })
      .execute();
    const resourceId = uuidv7();
    await t.db
      .insertInto('data_resources')
      .values({
        id: resourceId,
        institution_id: psb,
        system_id: systemId,
        name: '密钥校验资源',
        share_attribute: 'unconditional',
        open_attribute: 'not_open',
        collection: '{}',
      })
      .execute();
    await services.keys.activeKey(t.db, resourceId, psb);
    const r = shuan(['serve', '--no-demo'], { SHUAN_KEK: randomBytes(32).toString('hex'), SHUAN_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.err).toContain('KEK');
    expect(r.out).not.toContain('listening');
  });
});
