// Pages a user must pass before anything else: 修改密码 (expired or reset password) and 绑定双因素认证
// (a privileged role without TOTP). The server allows nothing else until they are done.
import { LogoutOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Layout, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api, setCsrfToken } from '../api.ts';
import { LangSwitch } from '../components/LangSwitch.tsx';
import { ChangePasswordForm, TotpEnrolment } from '../components/security.tsx';
import { useT } from '../i18n.tsx';
import { fetchSession, forcedPath, ME_KEY, useMe } from '../session.tsx';

function Frame({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  const t = useT();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const logout = async () => {
    try {
      await api.post('/api/auth/logout', undefined, { noAuthRedirect: true });
    } catch {
      /* already gone */
    }
    setCsrfToken(null);
    qc.clear();
    navigate('/login', { replace: true });
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', background: '#0f2a5f' }}>
        <Space style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>
          <SafetyCertificateOutlined />
          {t('app.fullName')}
        </Space>
        <Space>
          <span style={{ color: 'rgba(255,255,255,0.85)' }}>
            {me.displayName} · {me.institutionName}
          </span>
          <LangSwitch size="small" />
          <Button icon={<LogoutOutlined />} onClick={logout} data-testid="logout">
            {t('header.logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 32, display: 'flex', justifyContent: 'center' }}>
        <Card style={{ width: 760, maxWidth: '100%' }}>
          <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="forced-title">
            {title}
          </Typography.Title>
          <Alert type="warning" showIcon title={intro} style={{ marginBottom: 24 }} />
          {children}
        </Card>
      </Layout.Content>
    </Layout>
  );
}

/** After the forced step: read the session again and go where it says (next forced step or home). */
function useContinue() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    try {
      const s = await qc.fetchQuery({ queryKey: ME_KEY, queryFn: fetchSession, staleTime: 0 });
      navigate(forcedPath(s.user) ?? '/', { replace: true });
    } catch {
      navigate('/login', { replace: true });
    }
  };
}

export function ForcedPasswordPage() {
  const t = useT();
  const next = useContinue();
  return (
    <Frame title={t('forced.passwordTitle')} intro={t('forced.passwordIntro')}>
      <ChangePasswordForm onDone={next} />
    </Frame>
  );
}

export function ForcedTotpPage() {
  const t = useT();
  const next = useContinue();
  return (
    <Frame title={t('forced.totpTitle')} intro={t('forced.totpIntro')}>
      <TotpEnrolment autoStart onDone={next} />
    </Frame>
  );
}
