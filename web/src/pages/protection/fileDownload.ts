// A POST whose answer is a file (the test-data copy, DG-15): sent as web/src/api.ts sends writes (same-origin
// cookie, the session's CSRF token in x-csrf-token, Accept-Language), the body handed to the browser as a
// download named by Content-Disposition. Errors come back as JSON and are thrown as ApiError like any other.
import { ApiError, fileNameFrom, type Lang } from '../../api.ts';

export interface Downloaded {
  fileName: string;
  /** The x-delivery-id header: the delivery record the file belongs to. */
  deliveryId: string | null;
  bytes: number;
}

const NETWORK = { zh: '无法连接服务器，请检查网络后重试', en: 'Cannot reach the server. Check the network and try again.' };

export async function postForDownload(
  path: string,
  body: unknown,
  { csrfToken, lang, fallbackName }: { csrfToken: string | null | undefined; lang: Lang; fallbackName: string },
): Promise<Downloaded> {
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
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK[lang]);
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    let err: { code?: string; message?: string; details?: Record<string, unknown>; requestId?: string } = {};
    try {
      err = text ? JSON.parse(text) : {};
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, err.code ?? `HTTP_${res.status}`, err.message ?? `HTTP ${res.status}`, err.details, err.requestId);
  }
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
  return { fileName, deliveryId: res.headers.get('x-delivery-id'), bytes: blob.size };
}
