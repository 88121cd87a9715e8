// The key-encryption key (KEK): the one secret that unlocks every data key (PRT-5, FZ-12, 密评 "confidentiality
// of important data at rest"). It never enters the database: it comes from SHUAN_KEK (hex or base64 of
// 32 bytes), from the file SHUAN_KEK_FILE names, or from `<data dir>/kek.key`, which `shuan keys init`
// writes (mode 0600). Only the demo city creates one by itself; any other start without a KEK is refused
// with the command that creates one.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type EnvelopeKey, hmacSm3, openEnvelope, sealEnvelope, sm3 } from '../../engines/gm/index.ts';

export const KEK_BYTES = 32;
export const KEK_FILE_NAME = 'kek.key';

/** Why a KEK could not be had: the CLI prints `message` as its one line. */
export class KekError extends Error {
  constructor(
    readonly code: 'KEK_MISSING' | 'KEK_INVALID' | 'KEK_FILE_EXISTS' | 'KEK_FILE_UNSAFE',
    message: string,
  ) {
    super(message);
    this.name = 'KekError';
  }
}

export type KekSource = 'env' | 'file' | 'created';

/**
 * A loaded KEK. Its id is a fingerprint (first 8 bytes of SM3 over a label and the key), stored beside
 * every wrapped key, so a start with the wrong KEK is recognised before anything is decrypted.
 */
export class Kek {
  readonly id: string;
  readonly #key: EnvelopeKey;

  constructor(
    secret: Buffer,
    readonly source: KekSource,
    readonly location: string | null,
  ) {
    if (secret.length !== KEK_BYTES) throw new KekError('KEK_INVALID', `KEK must be ${KEK_BYTES} bytes, got ${secret.length}`);
    this.id = `kek-${sm3(Buffer.concat([Buffer.from('shuan.kek.id\0'), secret]))
      .subarray(0, 8)
      .toString('hex')}`;
    this.#key = { id: this.id, secret: Buffer.from(secret) };
  }

  /** Seals key material; `aad` binds it to its row (a wrapped key moved to another resource fails to open). */
  wrap(material: Buffer, aad: string): Buffer {
    return sealEnvelope(this.#key, material, Buffer.from(aad));
  }

  unwrap(wrapped: Buffer, aad: string): Buffer {
    return openEnvelope((id) => (id === this.id ? this.#key : undefined), wrapped, Buffer.from(aad));
  }

  /**
   * A key for one purpose, derived from the KEK: secret = HMAC-SM3(KEK, label), id = `<kek id>/<label>`.
   * For small values sealed under the KEK itself rather than under a wrapped data key (TOTP secrets,
   * 等保 authentication-data confidentiality); the raw KEK never leaves this object. The id names the KEK,
   * so an envelope sealed under another KEK is told apart from a tampered one (envelope_unknown_key).
   */
  derive(label: string): EnvelopeKey {
    if (!/^[a-z][a-z0-9.-]{0,63}$/.test(label)) throw new Error(`Kek.derive: invalid label ${JSON.stringify(label)}`);
    return { id: `${this.id}/${label}`, secret: hmacSm3(this.#key.secret, label) };
  }

  /** A random KEK, for `shuan keys init` and for tests. */
  static generate(source: KekSource = 'created', location: string | null = null): Kek {
    return new Kek(randomBytes(KEK_BYTES), source, location);
  }

  /** The text a key file holds: 64 hex characters and a newline. */
  static serialize(secret: Buffer): string {
    return `${secret.toString('hex')}\n`;
  }
}

/** Hex (64 characters) or base64 (44 with padding) of 32 bytes; whitespace around it is ignored. */
export function parseKekText(text: string, where: string): Buffer {
  const t = text.trim();
  let bytes: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(t)) bytes = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!bytes || bytes.length !== KEK_BYTES) {
    throw new KekError(
      'KEK_INVALID',
      `${where}: KEK 格式无效，应为 32 字节的十六进制（64 个字符）或 base64 / the KEK must be 32 bytes as hex (64 characters) or base64`,
    );
  }
  return bytes;
}

export function defaultKekPath(dataDir: string): string {
  return join(dataDir, KEK_FILE_NAME);
}

function readKeyFile(path: string): Buffer {
  const st = statSync(path);
  // A key file others can read is a leaked key: refuse it rather than use it quietly.
  if ((st.mode & 0o077) !== 0) {
    throw new KekError('KEK_FILE_UNSAFE', `${path}: 密钥文件权限过宽，请执行 chmod 600 ${path} / the key file is readable by others; chmod 600 it`);
  }
  return parseKekText(readFileSync(path, 'utf8'), path);
}

/** Writes a new key file (0600), refusing to overwrite one: losing a KEK loses every encrypted dataset. */
export function writeKekFile(path: string): Kek {
  if (existsSync(path)) {
    throw new KekError('KEK_FILE_EXISTS', `${path} 已存在，不会覆盖（覆盖将导致已加密数据无法解密）/ ${path} exists and is never overwritten`);
  }
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(KEK_BYTES);
  writeFileSync(path, Kek.serialize(secret), { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return new Kek(secret, 'file', path);
}

export interface LoadKekOptions {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** Demo mode: create `<data dir>/kek.key` when no KEK is configured. */
  createIfMissing: boolean;
}

export function loadKek(opts: LoadKekOptions): Kek {
  const fromEnv = opts.env.SHUAN_KEK;
  if (fromEnv) return new Kek(parseKekText(fromEnv, 'SHUAN_KEK'), 'env', null);
  const named = opts.env.SHUAN_KEK_FILE;
  if (named) {
    if (!existsSync(named)) throw new KekError('KEK_MISSING', `SHUAN_KEK_FILE 指向的文件不存在：${named} / the KEK file does not exist`);
    return new Kek(readKeyFile(named), 'file', named);
  }
  const path = defaultKekPath(opts.dataDir);
  if (existsSync(path)) return new Kek(readKeyFile(path), 'file', path);
  if (opts.createIfMissing) {
    const kek = writeKekFile(path);
    return new Kek(readKeyFile(path), 'created', kek.location);
  }
  throw new KekError(
    'KEK_MISSING',
    `未配置密钥加密密钥（KEK）：运行 \`npx shuan keys init\` 生成 ${path}，或设置 SHUAN_KEK / SHUAN_KEK_FILE；请另行妥善备份该密钥 / no key-encryption key: run \`npx shuan keys init\` (writes ${path}) or set SHUAN_KEK or SHUAN_KEK_FILE, and back the key up separately`,
  );
}
