// The frame around every signed-in page: module menu on the left, user and language in the header.
import {
  AimOutlined,
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  BellOutlined,
  CalendarOutlined,
  CarryOutOutlined,
  ClusterOutlined,
  DatabaseOutlined,
  DeleteOutlined,
  DeploymentUnitOutlined,
  EditOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  GlobalOutlined,
  HomeOutlined,
  InboxOutlined,
  KeyOutlined,
  LogoutOutlined,
  NodeIndexOutlined,
  RadarChartOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  SettingOutlined,
  ShareAltOutlined,
  SolutionOutlined,
  TagsOutlined,
  TeamOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Layout, Menu, type MenuProps, Space, Tooltip, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { api, setCsrfToken } from '../api.ts';
import { type MessageKey, useT } from '../i18n.tsx';
import { useCan, useMe } from '../session.tsx';
import { LangSwitch } from './LangSwitch.tsx';

const { Header, Sider, Content } = Layout;

type Item = Required<MenuProps>['items'][number];

const FUTURE: { key: string; label: MessageKey; icon: ReactNode }[] = [
  { key: 'discovery', label: 'nav.discovery', icon: <FileSearchOutlined /> },
  { key: 'risk', label: 'nav.risk', icon: <RadarChartOutlined /> },
  { key: 'incidents', label: 'nav.incidents', icon: <AlertOutlined /> },
  { key: 'inspections', label: 'nav.inspections', icon: <SolutionOutlined /> },
  { key: 'compliance', label: 'nav.compliance', icon: <TrophyOutlined /> },
];

/** Menu entries below another entry's path, selected by their own key (not their first segment's). */
const NESTED_KEYS = ['/systems/asset-checks', '/protection/trace', '/audit/alerts', '/audit/reports', '/audit/trace', '/audit/integrity'];
// 数据共享 (issue 7): every entry lives under /sharing/, so each is selected by its own key.
NESTED_KEYS.push('/sharing/requests', '/sharing/grants', '/sharing/duties', '/sharing/error-reports');
NESTED_KEYS.push('/sharing/queue', '/sharing/overdue', '/sharing/map', '/sharing/open-data');

function selectedKey(pathname: string): string {
  if (pathname === '/') return '/';
  const nested = NESTED_KEYS.find((k) => pathname === k || pathname.startsWith(`${k}/`));
  if (nested) return nested;
  const first = `/${pathname.split('/')[1]}`;
  return first === '/me' ? '/me/security' : first;
}

export function AppLayout() {
  const t = useT();
  const me = useMe();
  const can = useCan();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [collapsed, setCollapsed] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);

  const nav = (key: string, label: MessageKey, icon: ReactNode, testId: string): Item => ({
    key,
    icon,
    label: <span data-testid={`nav-${testId}`}>{t(label)}</span>,
  });

  const orgChildren: Item[] = [];
  if (can('institution.read')) orgChildren.push(nav('/institutions', 'nav.institutions', <BankOutlined />, 'institutions'));
  if (can('user.read')) orgChildren.push(nav('/people', 'nav.people', <TeamOutlined />, 'people'));

  const items: Item[] = [nav('/', 'nav.home', <HomeOutlined />, 'home')];
  if (orgChildren.length > 0) {
    items.push({
      key: 'org',
      icon: <ApartmentOutlined />,
      label: <span data-testid="nav-org">{t('nav.org')}</span>,
      children: orgChildren,
    });
  }
  if (can('system.read')) items.push(nav('/systems', 'nav.systems', <DeploymentUnitOutlined />, 'systems'));
  if (can('system.read')) items.push(nav('/systems/asset-checks', 'nav.assetChecks', <CarryOutOutlined />, 'asset-checks'));
  if (can('catalog.read')) items.push(nav('/catalog', 'nav.catalog', <DatabaseOutlined />, 'catalog'));
  if (can('scheme.read')) items.push(nav('/grading', 'nav.grading', <TagsOutlined />, 'grading'));
  if (can('protection.read')) items.push(nav('/protection/trace', 'nav.trace', <AimOutlined />, 'trace'));
  // 数据共享 group (issue 7): data users' and providers' pages; the authority's pages join the same list.
  const sharingChildren: Item[] = [];
  if (can('sharing.read')) {
    sharingChildren.push(nav('/sharing/requests', 'nav.sharingRequests', <FileDoneOutlined />, 'sharing-requests'));
    sharingChildren.push(nav('/sharing/grants', 'nav.sharingGrants', <KeyOutlined />, 'sharing-grants'));
    sharingChildren.push(nav('/sharing/duties', 'nav.sharingDuties', <DeleteOutlined />, 'sharing-duties'));
    sharingChildren.push(nav('/sharing/error-reports', 'nav.sharingErrorReports', <EditOutlined />, 'sharing-error-reports'));
  }
  // The authority's pages and open data (helper E2): queue (sharing.approve), overdue and map, releases.
  if (can('sharing.approve')) sharingChildren.push(nav('/sharing/queue', 'nav.sharingQueue', <InboxOutlined />, 'sharing-queue'));
  if (can('sharing.approve') || can('sharing.provide')) {
    sharingChildren.push(nav('/sharing/overdue', 'nav.sharingOverdue', <FieldTimeOutlined />, 'sharing-overdue'));
    sharingChildren.push(nav('/sharing/map', 'nav.sharingMap', <ClusterOutlined />, 'sharing-map'));
    sharingChildren.push(nav('/sharing/open-data', 'nav.openData', <GlobalOutlined />, 'open-data'));
  }
  if (sharingChildren.length > 0) {
    items.push({ key: 'sharing', icon: <ShareAltOutlined />, label: <span data-testid="nav-sharing">{t('nav.sharing')}</span>, children: sharingChildren });
  }
  for (const f of FUTURE) {
    items.push({
      key: `future-${f.key}`,
      icon: f.icon,
      disabled: true,
      label: (
        <Tooltip title={t('nav.comingSoon')} placement="right">
          <span data-testid={`nav-${f.key}`} aria-disabled="true">
            {t(f.label)}
          </span>
        </Tooltip>
      ),
    });
  }
  items.push({ type: 'divider' });
  if (can('audit.read')) items.push(nav('/audit', 'nav.audit', <AuditOutlined />, 'audit'));
  if (can('audit.read')) items.push(nav('/audit/integrity', 'nav.integrity', <SafetyCertificateOutlined />, 'audit-integrity'));
  if (can('audit.read')) items.push(nav('/audit/alerts', 'nav.alerts', <BellOutlined />, 'audit-alerts'));
  if (can('audit.read')) items.push(nav('/audit/reports', 'nav.auditReports', <FileTextOutlined />, 'audit-reports'));
  if (can('audit.read')) items.push(nav('/audit/trace', 'nav.auditTrace', <NodeIndexOutlined />, 'audit-trace'));
  items.push(nav('/workdays', 'nav.workdays', <CalendarOutlined />, 'workdays'));
  if (can('settings.read')) items.push(nav('/settings', 'nav.settings', <SettingOutlined />, 'settings'));

  const logout = async () => {
    setLoggingOut(true);
    try {
      await api.post('/api/auth/logout', undefined, { noAuthRedirect: true });
    } catch {
      /* the session may already be gone; leave anyway */
    } finally {
      setCsrfToken(null);
      qc.clear();
      setLoggingOut(false);
      message.success(t('header.loggedOut'));
      navigate('/login', { replace: true });
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={224}
        theme="dark"
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            gap: 8,
            color: '#fff',
            fontWeight: 600,
            fontSize: collapsed ? 16 : 18,
            whiteSpace: 'nowrap',
          }}
        >
          <SafetyCertificateOutlined style={{ fontSize: 22, color: '#60a5fa' }} />
          {!collapsed && <span>{t('app.shortName')}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          data-testid="nav-menu"
          selectedKeys={[selectedKey(location.pathname)]}
          defaultOpenKeys={['org', 'sharing']}
          items={items}
          onClick={({ key }) => {
            if (key.startsWith('/') && key !== location.pathname) navigate(key);
          }}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap' }} data-testid="app-title">
            {t('app.name')}
          </Typography.Title>
          <Space size="middle" wrap={false}>
            <span data-testid="header-user" style={{ whiteSpace: 'nowrap' }}>
              <SafetyOutlined style={{ marginInlineEnd: 6 }} />
              <Typography.Text strong>{me.displayName}</Typography.Text>
              <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                {me.institutionName}
              </Typography.Text>
            </span>
            <LangSwitch size="small" />
            <Link to="/me/security" data-testid="header-my-security">
              {t('nav.mySecurity')}
            </Link>
            <Button icon={<LogoutOutlined />} onClick={logout} loading={loggingOut} data-testid="logout">
              {t('header.logout')}
            </Button>
          </Space>
        </Header>
        <Content style={{ padding: 24 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
