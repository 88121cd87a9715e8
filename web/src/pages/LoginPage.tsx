// 登录: username, password and the 6-digit 动态验证码 (TOTP). Sends the user on to a forced password change
// or TOTP enrolment when the server says so, else back to the page they wanted.
import { LockOutlined, SafetyCertificateOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, type InputRef, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { LangSwitch } from '../components/LangSwitch.tsx';
import { useT } from '../i18n.tsx';
import { forcedPath, safeNext, useAcceptSession, useSessionQuery } from '../session.tsx';
import type { LoginBody, SessionInfo } from '../types.ts';

interface LoginForm {
  username: string;
  password: string;
  totpCode?: string;
}

export function LoginPage() {
  const t = useT();
  const [form] = Form.useForm<LoginForm>();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const acceptSession = useAcceptSession();
  const session = useSessionQuery();
  const totpRef = useRef<InputRef>(null);
  const [totpHint, setTotpHint] = useState<string | null>(null);
  const next = safeNext(params.get('next'));
  const expired = Boolean((location.state as { expired?: boolean } | null)?.expired);

  const login = useMutation({
    mutationFn: (body: LoginBody) => api.post<SessionInfo>('/api/auth/login', body, { noAuthRedirect: true }),
    onSuccess: (s) => {
      acceptSession(s);
      navigate(forcedPath(s.user) ?? next, { replace: true });
    },
    onError: (e) => {
      if (e instanceof ApiError && (e.code === 'TOTP_REQUIRED' || e.code === 'INVALID_TOTP')) {
        setTotpHint(e.code === 'TOTP_REQUIRED' ? t('login.totpRequiredHint') : e.message);
        form.setFieldValue('totpCode', '');
        setTimeout(() => totpRef.current?.focus(), 0);
      }
    },
  });

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.fullName')}`;
  }, [t]);

  // Already signed in (e.g. opened /login in a new tab): go on.
  if (session.data && !login.isPending) return <Navigate to={forcedPath(session.data.user) ?? next} replace />;

  const error = login.error;
  const totpError = error instanceof ApiError && (error.code === 'TOTP_REQUIRED' || error.code === 'INVALID_TOTP');
  const lockedOrLimited = error instanceof ApiError && (error.code === 'ACCOUNT_LOCKED' || error.code === 'RATE_LIMITED');

  const onFinish = (v: LoginForm) => {
    setTotpHint(null);
    const body: LoginBody = { username: v.username.trim(), password: v.password };
    if (v.totpCode) body.totpCode = v.totpCode;
    login.mutate(body);
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(160deg, #0f2a5f 0%, #1d4ed8 55%, #e8efff 55.1%, #f5f7fb 100%)',
        padding: 16,
      }}
    >
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LangSwitch size="small" />
      </div>
      <div style={{ textAlign: 'center', color: '#fff', marginBottom: 24 }}>
        <SafetyCertificateOutlined style={{ fontSize: 44 }} />
        <Typography.Title level={2} style={{ color: '#fff', margin: '8px 0 4px' }} data-testid="login-heading">
          {t('app.fullName')}
        </Typography.Title>
        <Typography.Text style={{ color: 'rgba(255,255,255,0.85)' }}>{t('login.subtitle')}</Typography.Text>
      </div>
      <Card style={{ width: 400, maxWidth: '100%', boxShadow: '0 12px 32px rgba(15,42,95,0.18)' }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('login.title')}
        </Typography.Title>
        {expired && !error && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('login.sessionExpired')} />}
        {error && !totpError && <ErrorAlert error={error} testId="login-error" type={lockedOrLimited ? 'warning' : 'error'} />}
        <Form<LoginForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} disabled={login.isPending}>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[
              { required: true, whitespace: true, message: t('login.usernameRequired') },
              { max: 64, message: t('validation.max', { n: 64 }) },
            ]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" maxLength={64} />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[
              { required: true, message: t('login.passwordRequired') },
              { max: 128, message: t('validation.max', { n: 128 }) },
            ]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" maxLength={128} />
          </Form.Item>
          <Form.Item
            name="totpCode"
            label={t('login.totp')}
            validateStatus={totpError ? 'error' : undefined}
            help={totpError ? <span data-testid="login-totp-hint">{totpHint ?? error.message}</span> : undefined}
            extra={totpError ? undefined : t('login.totpExtra')}
            rules={[{ pattern: /^\d{6}$/, message: t('validation.totp') }]}
          >
            <Input
              ref={totpRef}
              prefix={<SafetyOutlined />}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              placeholder="000000"
              data-testid="login-totp"
              aria-invalid={totpError || undefined}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
        {t('login.footer')}
      </Typography.Text>
    </div>
  );
}
