// App shell: providers (query cache, i18n, antd locale and theme), routes and the auth guards.
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ApiError, setUnauthorizedHandler } from './api.ts';
import { AppLayout } from './components/AppLayout.tsx';
import { ErrorResult, Loading } from './components/ErrorAlert.tsx';
import { I18nProvider, useI18n } from './i18n.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { forcedPath, ME_KEY, useCan, useSessionQuery } from './session.tsx';
import type { Permission } from './types.ts';

const DashboardPage = lazy(() => import('./pages/DashboardPage.tsx'));
const InstitutionsPage = lazy(() => import('./pages/InstitutionsPage.tsx'));
const PeoplePage = lazy(() => import('./pages/PeoplePage.tsx'));
const MySecurityPage = lazy(() => import('./pages/MySecurityPage.tsx'));
const AuditPage = lazy(() => import('./pages/AuditPage.tsx'));
const AlertsPage = lazy(() => import('./pages/audit/AlertsPage.tsx'));
const IntegrityPage = lazy(() => import('./pages/audit/IntegrityPage.tsx'));
const AuditReportsPage = lazy(() => import('./pages/audit/ReportsPage.tsx'));
const AuditReportPrintPage = lazy(() => import('./pages/audit/ReportPrintPage.tsx'));
const AuditTracePage = lazy(() => import('./pages/audit/TracePage.tsx'));
const WorkdaysPage = lazy(() => import('./pages/WorkdaysPage.tsx'));
const SettingsPage = lazy(() => import('./pages/SettingsPage.tsx'));
const ForcedPasswordPage = lazy(() => import('./pages/ForcedPages.tsx').then((m) => ({ default: m.ForcedPasswordPage })));
const ForcedTotpPage = lazy(() => import('./pages/ForcedPages.tsx').then((m) => ({ default: m.ForcedTotpPage })));
const SystemsPage = lazy(() => import('./pages/SystemsPage.tsx'));
const SystemDetailPage = lazy(() => import('./pages/systems/SystemDetailPage.tsx'));
const FilingsPage = lazy(() => import('./pages/systems/FilingsPage.tsx'));
const AssetChecksPage = lazy(() => import('./pages/systems/AssetChecksPage.tsx'));
const CatalogPage = lazy(() => import('./pages/CatalogPage.tsx'));
const ResourcePage = lazy(() => import('./pages/catalog/ResourcePage.tsx'));
const PiInventoryPage = lazy(() => import('./pages/catalog/PiInventoryPage.tsx'));
const ProtectionPage = lazy(() => import('./pages/protection/ProtectionPage.tsx'));
const TracePage = lazy(() => import('./pages/protection/TracePage.tsx'));
const GradingPage = lazy(() => import('./pages/GradingPage.tsx'));
const GradingDashboardPage = lazy(() => import('./pages/grading/GradingDashboardPage.tsx'));
// 数据共享 (issue 7): data users' and providers' pages.
const ShareRequestsPage = lazy(() => import('./pages/sharing/RequestsPage.tsx'));
const ShareRequestDetailPage = lazy(() => import('./pages/sharing/RequestDetailPage.tsx'));
const ShareGrantsPage = lazy(() => import('./pages/sharing/GrantsPage.tsx'));
const ShareGrantDetailPage = lazy(() => import('./pages/sharing/GrantDetailPage.tsx'));
const DeletionDutiesPage = lazy(() => import('./pages/sharing/DutiesPage.tsx'));
const ErrorReportsPage = lazy(() => import('./pages/sharing/ErrorReportsPage.tsx'));
// The authority's sharing pages, open-data releases and the public open-data portal (issue 7).
const SharingQueuePage = lazy(() => import('./pages/sharing/QueuePage.tsx'));
const SharingOverduePage = lazy(() => import('./pages/sharing/OverduePage.tsx'));
const SharingMapPage = lazy(() => import('./pages/sharing/MapPage.tsx'));
const OpenDataReleasesPage = lazy(() => import('./pages/sharing/OpenDataReleasesPage.tsx'));
const OpenDataReleaseDetail = lazy(() => import('./pages/sharing/OpenDataReleaseDetail.tsx'));
const PublicLayout = lazy(() => import('./pages/open/PublicLayout.tsx'));
const OpenPortalPage = lazy(() => import('./pages/open/OpenPortalPage.tsx'));
const OpenReleasePage = lazy(() => import('./pages/open/OpenReleasePage.tsx'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.tsx'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status > 0 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
    mutations: { retry: false },
  },
});

function loginPath(pathname: string, search: string): string {
  const next = `${pathname}${search}`;
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

/** On a 401 from any API call: forget the session and go to the login page, keeping the intended path. */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      const { pathname, search } = window.location;
      if (pathname === '/login') return;
      qc.removeQueries({ queryKey: ME_KEY });
      qc.clear();
      navigate(loginPath(pathname, search), { replace: true, state: { expired: true } });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate, qc]);
  return null;
}

/** Requires a session; sends forced flows (password change, TOTP enrolment) to their page first. */
function RequireAuth({ children, forced }: { children: ReactNode; forced?: '/change-password' | '/totp-setup' }) {
  const session = useSessionQuery();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) {
    if (session.error instanceof ApiError && session.error.status === 401) {
      return <Navigate to={loginPath(location.pathname, location.search)} replace />;
    }
    return <ErrorResult error={session.error} onRetry={() => session.refetch()} />;
  }
  const must = forcedPath(session.data.user);
  if (must && must !== forced) return <Navigate to={must} replace />;
  if (!must && forced) return <Navigate to="/" replace />;
  return <>{children}</>;
}

function RequirePermission({ perm, children }: { perm: Permission; children: ReactNode }) {
  const can = useCan();
  const { t } = useI18n();
  if (!can(perm)) return <ErrorResult error={new ApiError(403, 'FORBIDDEN', t('error.noPermission'))} />;
  return <>{children}</>;
}

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function Themed({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={{
        token: {
          colorPrimary: '#1d4ed8',
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif",
        },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <Themed>
          <BrowserRouter>
            <UnauthorizedRedirect />
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              {/* 开放数据门户 (LIF-7): public, no login, its own frame outside the app. */}
              <Route
                path="/open"
                element={
                  <Page>
                    <PublicLayout />
                  </Page>
                }
              >
                <Route
                  index
                  element={
                    <Page>
                      <OpenPortalPage />
                    </Page>
                  }
                />
                <Route
                  path=":id"
                  element={
                    <Page>
                      <OpenReleasePage />
                    </Page>
                  }
                />
              </Route>
              <Route
                path="/change-password"
                element={
                  <RequireAuth forced="/change-password">
                    <Page>
                      <ForcedPasswordPage />
                    </Page>
                  </RequireAuth>
                }
              />
              <Route
                path="/totp-setup"
                element={
                  <RequireAuth forced="/totp-setup">
                    <Page>
                      <ForcedTotpPage />
                    </Page>
                  </RequireAuth>
                }
              />
              {/* The printable audit report: A4 paper, outside the app frame. */}
              <Route
                path="/audit/reports/:id/print"
                element={
                  <RequireAuth>
                    <RequirePermission perm="audit.read">
                      <Page>
                        <AuditReportPrintPage />
                      </Page>
                    </RequirePermission>
                  </RequireAuth>
                }
              />
              <Route
                element={
                  <RequireAuth>
                    <AppLayout />
                  </RequireAuth>
                }
              >
                <Route
                  index
                  element={
                    <Page>
                      <DashboardPage />
                    </Page>
                  }
                />
                <Route
                  path="institutions"
                  element={
                    <RequirePermission perm="institution.read">
                      <Page>
                        <InstitutionsPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="people"
                  element={
                    <RequirePermission perm="user.read">
                      <Page>
                        <PeoplePage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="systems"
                  element={
                    <RequirePermission perm="system.read">
                      <Page>
                        <SystemsPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="systems/filings"
                  element={
                    <RequirePermission perm="system.read">
                      <Page>
                        <FilingsPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="systems/asset-checks"
                  element={
                    <RequirePermission perm="system.read">
                      <Page>
                        <AssetChecksPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="systems/:id"
                  element={
                    <RequirePermission perm="system.read">
                      <Page>
                        <SystemDetailPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="catalog"
                  element={
                    <RequirePermission perm="catalog.read">
                      <Page>
                        <CatalogPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="catalog/pi-inventory"
                  element={
                    <RequirePermission perm="catalog.read">
                      <Page>
                        <PiInventoryPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="catalog/:id"
                  element={
                    <RequirePermission perm="catalog.read">
                      <Page>
                        <ResourcePage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="catalog/:id/protection"
                  element={
                    <RequirePermission perm="protection.read">
                      <Page>
                        <ProtectionPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="protection/trace"
                  element={
                    <RequirePermission perm="protection.read">
                      <Page>
                        <TracePage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="grading"
                  element={
                    <RequirePermission perm="scheme.read">
                      <Page>
                        <GradingPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="grading/dashboard"
                  element={
                    <RequirePermission perm="catalog.read">
                      <Page>
                        <GradingDashboardPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="me/security"
                  element={
                    <Page>
                      <MySecurityPage />
                    </Page>
                  }
                />
                <Route
                  path="audit"
                  element={
                    <RequirePermission perm="audit.read">
                      <Page>
                        <AuditPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="audit/reports"
                  element={
                    <RequirePermission perm="audit.read">
                      <Page>
                        <AuditReportsPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="audit/trace"
                  element={
                    <RequirePermission perm="audit.read">
                      <Page>
                        <AuditTracePage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="audit/integrity"
                  element={
                    <RequirePermission perm="audit.read">
                      <Page>
                        <IntegrityPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="audit/alerts"
                  element={
                    <RequirePermission perm="audit.read">
                      <Page>
                        <AlertsPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                {/* 数据共享 (issue 7): requests, grants, deletion duties, error reports. */}
                <Route
                  path="sharing/requests"
                  element={
                    <RequirePermission perm="sharing.read">
                      <Page>
                        <ShareRequestsPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="sharing/requests/:id"
                  element={
                    <RequirePermission perm="sharing.read">
                      <Page>
                        <ShareRequestDetailPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="sharing/grants"
                  element={
                    <RequirePermission perm="sharing.read">
                      <Page>
                        <ShareGrantsPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="sharing/grants/:id"
                  element={
                    <RequirePermission perm="sharing.read">
                      <Page>
                        <ShareGrantDetailPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="sharing/duties/:id?"
                  element={
                    <RequirePermission perm="sharing.read">
                      <Page>
                        <DeletionDutiesPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="sharing/error-reports/:id?"
                  element={
                    <RequirePermission perm="sharing.read">
                      <Page>
                        <ErrorReportsPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                {/* The authority's queue, overdue items and sharing map; open-data releases. */}
                <Route
                  path="sharing/queue"
                  element={
                    <RequirePermission perm="sharing.approve">
                      <Page>
                        <SharingQueuePage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="sharing/overdue"
                  element={
                    <RequirePermission perm="sharing.read">
                      <Page>
                        <SharingOverduePage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="sharing/map"
                  element={
                    <RequirePermission perm="sharing.read">
                      <Page>
                        <SharingMapPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="sharing/open-data"
                  element={
                    <RequirePermission perm="sharing.read">
                      <Page>
                        <OpenDataReleasesPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="sharing/open-data/:id"
                  element={
                    <RequirePermission perm="sharing.read">
                      <Page>
                        <OpenDataReleaseDetail />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="workdays"
                  element={
                    <Page>
                      <WorkdaysPage />
                    </Page>
                  }
                />
                <Route
                  path="settings"
                  element={
                    <RequirePermission perm="settings.read">
                      <Page>
                        <SettingsPage />
                      </Page>
                    </RequirePermission>
                  }
                />
                <Route
                  path="*"
                  element={
                    <Page>
                      <NotFoundPage />
                    </Page>
                  }
                />
              </Route>
            </Routes>
          </BrowserRouter>
        </Themed>
      </QueryClientProvider>
    </I18nProvider>
  );
}
