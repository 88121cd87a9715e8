// Readers (src/sources) as dataset-store inputs: a source's failures become the platform's errors (4xx
// with the line where the file is broken; never a value, never a password).
import { AppError } from '../../app/errors.ts';
import { openSource, SourceError, type TabularSource } from '../../sources/index.ts';
import type { LoadSource } from './datasets.service.ts';

/** Content types the file-body routes (dataset upload, trace) accept: the kind of file comes from its bytes. */
export const FILE_BODY_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/csv',
  'application/csv',
  'text/tab-separated-values',
  'application/x-ndjson',
  'application/jsonl',
  'application/vnd.ms-excel',
  'application/octet-stream',
];

/** Largest upload through the API (the file is held in memory while it is read; larger loads: the CLI or a table pull). */
export const DATASET_UPLOAD_MAX_BYTES = 64 * 1024 * 1024;

const STATUS: Record<SourceError['code'], number> = {
  UNREADABLE: 400,
  BAD_ENCODING: 400,
  MALFORMED: 400,
  TOO_LARGE: 413,
  CONNECTION: 422,
  NOT_FOUND: 422,
};

export function sourceFailure(err: unknown): unknown {
  if (!(err instanceof SourceError)) return err;
  const at = err.line !== undefined ? { line: err.line } : {};
  return new AppError(`SOURCE_${err.code}`, STATUS[err.code], err.messageZh, err.messageEn, { ...at, ...(err.column ? { column: err.column } : {}) });
}

/** Opens a source for a load; the caller closes it (`close`). */
export async function openLoadSource(
  spec: Parameters<typeof openSource>[0],
  name: string | null,
  opts: Parameters<typeof openSource>[1] = {},
): Promise<LoadSource & { close(): Promise<void> }> {
  let source: TabularSource;
  try {
    source = await openSource(spec, opts);
  } catch (err) {
    throw sourceFailure(err);
  }
  try {
    const columns = await source.columns();
    return {
      kind: source.kind,
      name: name ?? source.describe,
      columns,
      rows: (async function* () {
        try {
          for await (const r of source.rows()) yield { line: r.line, values: r.values };
        } catch (err) {
          throw sourceFailure(err);
        }
      })(),
      close: () => source.close(),
    };
  } catch (err) {
    await source.close();
    throw sourceFailure(err);
  }
}

/**
 * A table pull's source, opened on the addresses its allow-list check resolved (pull-guard.ts): each in
 * turn while the connection fails (a name with an IPv6 and an IPv4 address, only one of them served), never
 * on a fresh DNS answer.
 */
export async function openPinnedLoadSource(url: URL, name: string, addresses: readonly string[]): Promise<LoadSource & { close(): Promise<void> }> {
  for (const [i, connectHost] of addresses.entries()) {
    try {
      return await openLoadSource(url, name, { connectHost });
    } catch (err) {
      const last = i === addresses.length - 1;
      if (last || !(err instanceof AppError) || err.code !== 'SOURCE_CONNECTION') throw err;
    }
  }
  throw new Error('openPinnedLoadSource: no address to connect to');
}
