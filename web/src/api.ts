// The one fetch wrapper: JSON in and out, same-origin cookie session, CSRF header on writes,
// Accept-Language from the UI language, `{code,message,details}` errors thrown as ApiError,
// and a 401 (not logged in / session expired) sends the user to the login page.

export type Lang = 'zh' | 'en';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

let csrfToken: string | null = null;
let lang: Lang = 'zh';
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export function setApiLang(l: Lang): void {
  lang = l;
}
/** Registered by the app shell: called when a request comes back 401 because the session is gone. */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

/** 401s that are answers to what the user typed (wrong password or code), not a missing session. */
const CREDENTIAL_CODES = new Set(['INVALID_CREDENTIALS', 'TOTP_REQUIRED', 'INVALID_TOTP']);

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

const GENERIC = {
  network: { zh: '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server. Check the network and try again.' },
  http: { zh: '请求失败（HTTP {status}）', en: 'Request failed (HTTP {status})' },
};

interface RequestOptions {
  /** Do not redirect to the login page on 401 (the caller handles it). */
  noAuthRedirect?: boolean;
  signal?: AbortSignal;
}

async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': lang === 'en' ? 'en' : 'zh-CN',
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', GENERIC.network[lang]);
  }

  return answer<T>(res, opts);
}

/** Reads a response: JSON on success, an ApiError (server's code, message and details) otherwise. */
async function answer<T>(res: Response, opts: RequestOptions): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (res.ok) return data as T;

  const err = (data && typeof data === 'object' ? data : {}) as {
    code?: string;
    message?: string;
    details?: Record<string, unknown>;
    requestId?: string;
  };
  const apiError = new ApiError(
    res.status,
    err.code ?? `HTTP_${res.status}`,
    err.message ?? GENERIC.http[lang].replace('{status}', String(res.status)),
    err.details,
    err.requestId,
  );
  if (res.status === 401 && !opts.noAuthRedirect && !CREDENTIAL_CODES.has(apiError.code)) {
    csrfToken = null;
    onUnauthorized?.();
  }
  throw apiError;
}

/** Sends a file as the raw request body (catalog import); JSON answer, errors as ApiError. */
async function upload<T>(path: string, file: Blob, contentType: string): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': lang === 'en' ? 'en' : 'zh-CN',
    'Content-Type': contentType,
  };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', GENERIC.network[lang]);
  }
  return answer<T>(res, {});
}

/** GETs a file (catalog export) and hands it to the browser as a download named by the server. */
async function download(path: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, {
      headers: { 'Accept-Language': lang === 'en' ? 'en' : 'zh-CN' },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', GENERIC.network[lang]);
  }
  await saveFile(res, fallbackName);
}

export interface Downloaded {
  fileName: string;
  bytes: number;
  /** The answer's headers (e.g. x-delivery-id: the delivery record the file belongs to). */
  headers: Headers;
}

/**
 * POSTs JSON whose answer is a file (the test-data copy, DG-15), sent as every write is (same-origin cookie, the
 * session's CSRF token, Accept-Language); errors, and a 401 for a session that is gone, as every request's.
 */
async function postDownload(path: string, body: unknown, fallbackName: string): Promise<Downloaded> {
  const headers: Record<string, string> = {
    Accept: '*/*',
    'Accept-Language': lang === 'en' ? 'en' : 'zh-CN',
    'Content-Type': 'application/json',
  };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', GENERIC.network[lang]);
  }
  return saveFile(res, fallbackName);
}

/** A file answer handed to the browser as a download named by the server; an error answer thrown as ApiError. */
async function saveFile(res: Response, fallbackName: string): Promise<Downloaded> {
  if (!res.ok) await answer<never>(res, {});
  const blob = await res.blob();
  const fileName = fileNameFrom(res.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { fileName, bytes: blob.size, headers: res.headers };
}

/** The file name of a Content-Disposition header (RFC 6266: filename* in UTF-8 first). */
export function fileNameFrom(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain ? plain[1].trim() : null;
}

export const api = {
  upload,
  download,
  postDownload,

  get: <T>(path: string, query?: Query, opts?: RequestOptions) => request<T>('GET', withQuery(path, query), undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  del: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};
