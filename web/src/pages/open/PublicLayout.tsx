// The open-data portal's own frame (LIF-7, HZ-26): no login, no platform menu — a plain header with the
// portal's name, the language switch and a link to the platform's sign-in, and a footer. Public calls never
// send anyone to the login page (noAuthRedirect).
import { GlobalOutlined } from '@ant-design/icons';
import { Layout, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, Outlet } from 'react-router';
import { api } from '../../api.ts';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { useT } from '../../i18n.tsx';

/** GET for the public portal: a 401 here is an answer, not a lost session. */
export function publicGet<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T> {
  return api.get<T>(path, query, { noAuthRedirect: true });
}

export function publicPost<T>(path: string, body: unknown): Promise<T> {
  return api.post<T>(path, body, { noAuthRedirect: true });
}

export default function PublicLayout() {
  const t = useT();
  useEffect(() => {
    document.title = `${t('openPortal.title')} · ${t('app.shortName')}`;
  }, [t]);
  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f7fb' }} data-testid="open-portal">
      <Layout.Header
        style={{
          background: '#fff',
          borderBottom: '1px solid #e5e7eb',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          padding: '0 32px',
        }}
      >
        <Link to="/open" style={{ color: 'inherit' }} data-testid="open-portal-home">
          <Space>
            <GlobalOutlined style={{ fontSize: 22, color: '#1d4ed8' }} />
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('openPortal.title')}
            </Typography.Title>
          </Space>
        </Link>
        <Space size="middle">
          <LangSwitch size="small" />
          <Link to="/login" data-testid="open-portal-login">
            {t('openPortal.signIn')}
          </Link>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: '24px 32px', maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', color: 'rgba(0,0,0,0.45)' }}>{t('openPortal.footer')}</Layout.Footer>
    </Layout>
  );
}
