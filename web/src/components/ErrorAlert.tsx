// Shows an API error the way a person can act on it: the server's message, its listed reasons, and
// the error code and request ID to quote to support.
import { Alert, Button, Result, Spin } from 'antd';
import { ApiError } from '../api.ts';
import { useI18n, useT } from '../i18n.tsx';

function reasonText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const msg = typeof o.message === 'string' ? o.message : typeof o.code === 'string' ? o.code : null;
    if (!msg) return JSON.stringify(v);
    return typeof o.field === 'string' && o.field ? `${o.field}: ${msg}` : msg;
  }
  return null;
}

const CJK = /[\u4e00-\u9fff]/;

/**
 * Extra reasons from details.violations / details.errors (password policy, schedule validation), when
 * they add to the message: bare codes (TOO_SHORT) and reasons already in the message are left out, and
 * in the Chinese UI so are untranslated (English-only) ones.
 */
export function errorReasons(error: unknown, lang: 'zh' | 'en'): string[] {
  if (!(error instanceof ApiError) || !error.details) return [];
  const out: string[] = [];
  for (const key of ['violations', 'errors', 'reasons']) {
    const list = error.details[key];
    if (!Array.isArray(list)) continue;
    for (const v of list) {
      const s = reasonText(v);
      if (!s || /^[A-Z0-9_]+$/.test(s) || error.message.includes(s) || out.includes(s)) continue;
      if (lang === 'zh' && !CJK.test(s)) continue;
      out.push(s);
    }
  }
  return out;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorAlert({
  error,
  style,
  testId = 'error-alert',
  onClose,
  type = 'error',
}: {
  type?: 'error' | 'warning';
  error: unknown;
  style?: React.CSSProperties;
  testId?: string;
  onClose?: () => void;
}) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const reasons = errorReasons(error, lang);
  const meta =
    error instanceof ApiError
      ? [
          error.code ? `${t('error.code')}${t('common.colon')}${error.code}` : '',
          error.details && typeof error.details.field === 'string' ? `${t('error.field')}${t('common.colon')}${error.details.field}` : '',
          error.requestId ? `${t('error.requestId')}${t('common.colon')}${error.requestId}` : '',
        ]
          .filter(Boolean)
          .join(' · ')
      : '';
  return (
    <Alert
      type={type}
      showIcon
      data-testid={testId}
      role="alert"
      style={{ marginBottom: 16, ...style }}
      title={errorMessage(error)}
      closable={onClose ? { onClose } : undefined}
      description={
        reasons.length > 0 || meta ? (
          <div>
            {reasons.length > 0 && (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            )}
            {meta && <div style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12, marginTop: reasons.length ? 4 : 0 }}>{meta}</div>}
          </div>
        ) : undefined
      }
    />
  );
}

/** Full-block error state for a failed page query, with a retry button. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <Result
      status={forbidden ? '403' : 'warning'}
      title={forbidden ? t('error.forbiddenTitle') : t('error.loadFailed')}
      subTitle={<span data-testid="error-result">{errorMessage(error)}</span>}
      extra={
        onRetry ? (
          <Button onClick={onRetry} data-testid="error-retry">
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

export function Loading({ tip }: { tip?: string }) {
  const t = useT();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} data-testid="loading">
      <Spin description={tip ?? t('common.loading')} size="large">
        <div style={{ minHeight: 40 }} />
      </Spin>
    </div>
  );
}
