// The bytes of a file source: a path on disk (read as a stream, never whole) or an upload already in memory.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { SourceError } from './types.ts';

/** Chunk size for reading files: large enough for throughput, small enough for bounded memory. */
export const CHUNK_BYTES = 256 * 1024;

export interface ByteInput {
  /** Display name: the path as given, or the upload's name. */
  name: string;
  /** The file name alone (for the format guess). */
  fileName: string;
  size: number;
  /** The bytes from `start` on, chunk by chunk. */
  chunks(start?: number): AsyncGenerator<Buffer>;
  /** A Node stream of the whole input (for libraries that want one). */
  stream(): Readable;
  /** Up to `n` bytes from `position`. */
  read(position: number, n: number): Promise<Buffer>;
}

function unreadable(name: string, err: unknown): SourceError {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') {
    return new SourceError('NOT_FOUND', `文件不存在：${name}`, `File not found: ${name}`, { cause: err });
  }
  const why = code === 'EACCES' || code === 'EPERM' ? { zh: '没有读取权限', en: 'permission denied' } : { zh: '读取失败', en: 'read failed' };
  return new SourceError('UNREADABLE', `无法读取文件 ${name}：${why.zh}`, `Cannot read the file ${name}: ${why.en}`, { cause: err });
}

export async function fileInput(path: string, name = path, maxBytes?: number): Promise<ByteInput> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) {
      throw new SourceError('UNREADABLE', `不是普通文件：${name}`, `Not a regular file: ${name}`);
    }
    size = st.size;
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw unreadable(name, err);
  }
  checkSize(name, size, maxBytes);
  return {
    name,
    fileName: basename(name),
    size,
    async *chunks(start = 0) {
      const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, start });
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } catch (err) {
        throw unreadable(name, err);
      } finally {
        stream.destroy();
      }
    },
    stream: () => createReadStream(path, { highWaterMark: CHUNK_BYTES }),
    async read(position, n) {
      let fh: Awaited<ReturnType<typeof open>> | undefined;
      try {
        fh = await open(path, 'r');
        const buf = Buffer.alloc(Math.max(0, Math.min(n, size - position)));
        const { bytesRead } = await fh.read(buf, 0, buf.length, position);
        return buf.subarray(0, bytesRead);
      } catch (err) {
        throw unreadable(name, err);
      } finally {
        await fh?.close();
      }
    },
  };
}

export function bufferInput(bytes: Uint8Array, name: string, maxBytes?: number): ByteInput {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkSize(name, buf.length, maxBytes);
  return {
    name,
    fileName: basename(name),
    size: buf.length,
    async *chunks(start = 0) {
      for (let p = start; p < buf.length; p += CHUNK_BYTES) yield buf.subarray(p, p + CHUNK_BYTES);
    },
    stream: () => Readable.from([buf], { objectMode: false }),
    read: async (position, n) => buf.subarray(position, position + n),
  };
}

function checkSize(name: string, size: number, maxBytes: number | undefined): void {
  if (maxBytes !== undefined && size > maxBytes) {
    const mb = (maxBytes / 1024 / 1024).toFixed(maxBytes < 1024 * 1024 ? 2 : 0);
    throw new SourceError('TOO_LARGE', `文件 ${name} 超过 ${mb} MB 的上限`, `The file ${name} is larger than the ${mb} MB limit`);
  }
}
