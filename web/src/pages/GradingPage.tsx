// 分类分级: the published scheme (CLS-1), the authority's draft editor, the version history, and the
// gradings waiting for a security officer (CLS-2); a link to the grading dashboard.
import { BarChartOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Drawer, Empty, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { categoryPaths, LevelTag, usePublishedScheme } from '../components/catalog.tsx';
import { ErrorAlert, ErrorResult, Loading } from '../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../components/institutions.tsx';
import { serverPagination } from '../components/paging.ts';
import { fmtDateTime } from '../format.ts';
import { useT } from '../i18n.tsx';
import { useCan } from '../session.tsx';
import type { Paged, ResourceSummary, Scheme, SchemeSummary } from '../types.ts';
import { SchemeEditor } from './grading/SchemeEditor.tsx';
import { SCHEME_STATUS_COLOR, SchemeView } from './grading/SchemeView.tsx';

function PublishedTab() {
  const t = useT();
  const q = usePublishedScheme();
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorResult error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Empty description={t('scheme.nonePublished')} data-testid="scheme-none" />;
  return <SchemeView scheme={q.data} />;
}

function VersionsTab() {
  const t = useT();
  const [open, setOpen] = useState<number | null>(null);
  const list = useQuery({ queryKey: ['grading', 'schemes', 'list'], queryFn: () => api.get<SchemeSummary[]>('/api/grading/schemes') });
  const one = useQuery({
    queryKey: ['grading', 'schemes', 'version', open],
    queryFn: () => api.get<Scheme>(`/api/grading/schemes/${open}`),
    enabled: open !== null,
  });
  if (list.isError) return <ErrorResult error={list.error} onRetry={() => list.refetch()} />;
  return (
    <>
      <Table<SchemeSummary>
        rowKey="version"
        size="middle"
        loading={list.isPending}
        dataSource={[...(list.data ?? [])].sort((a, b) => b.version - a.version)}
        pagination={false}
        data-testid="scheme-versions"
        onRow={(r) => ({ onClick: () => setOpen(r.version), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('scheme.version'), dataIndex: 'version', width: 90, render: (v: number) => `v${v}` },
          { title: t('scheme.name'), dataIndex: 'name' },
          {
            title: t('common.status'),
            dataIndex: 'status',
            width: 100,
            render: (s: SchemeSummary['status']) => <Tag color={SCHEME_STATUS_COLOR[s]}>{t(`scheme.status.${s}` as const)}</Tag>,
          },
          { title: t('scheme.categoryCountCol'), dataIndex: 'categoryCount', width: 110 },
          { title: t('scheme.publishedAt'), dataIndex: 'publishedAt', width: 180, render: (v: string | null) => fmtDateTime(v) },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 180, render: (v: string) => fmtDateTime(v) },
        ]}
      />
      {open !== null && (
        <Drawer open size={1200} title={t('scheme.versionTitle', { version: open })} onClose={() => setOpen(null)} destroyOnHidden>
          {one.isPending ? <Loading /> : one.isError ? <ErrorResult error={one.error} /> : <SchemeView scheme={one.data} />}
        </Drawer>
      )}
    </>
  );
}

/** Resources whose grading waits for a security officer's decision (批准 / 驳回 on the resource page). */
function PendingTab() {
  const t = useT();
  const navigate = useNavigate();
  const scheme = usePublishedScheme();
  const paths = categoryPaths(scheme.data?.categories);
  const [f, setF] = useState<{ institutionId?: string; page: number; pageSize: number }>({ page: 1, pageSize: 20 });
  const q = useQuery({
    queryKey: ['resources', 'pending', f],
    queryFn: () => api.get<Paged<ResourceSummary>>('/api/resources', { ...f, gradingStatus: 'pending' }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <InstitutionTreeSelect
          testId="pending-filter-institution"
          value={f.institutionId}
          onChange={(v) => setF((o) => ({ ...o, institutionId: v, page: 1 }))}
          style={{ width: 240 }}
        />
      </Space>
      <ErrorAlert error={q.error} />
      <Table<ResourceSummary>
        rowKey="id"
        size="middle"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        data-testid="pending-gradings"
        locale={{ emptyText: <Empty description={t('grading.noPending')} /> }}
        pagination={serverPagination(f, setF, q.data?.total, t)}
        onRow={(r) => ({ onClick: () => navigate(`/catalog/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('resource.name'),
            dataIndex: 'name',
            render: (n: string, r) => (
              <Link to={`/catalog/${r.id}`} data-testid="pending-open" onClick={(e) => e.stopPropagation()}>
                {n}
              </Link>
            ),
          },
          { title: t('resource.institution'), dataIndex: 'institutionName' },
          { title: t('resource.system'), dataIndex: 'systemName' },
          {
            title: t('resource.categories'),
            dataIndex: 'categories',
            render: (cs: string[]) => (cs.length ? cs.map((c) => <Tag key={c}>{paths.get(c) ?? c}</Tag>) : '—'),
          },
          { title: t('resource.currentLevel'), dataIndex: 'level', render: (l: string | null) => <LevelTag level={l} /> },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 180, render: (v: string) => fmtDateTime(v) },
        ]}
      />
    </>
  );
}

export default function GradingPage() {
  const t = useT();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const published = usePublishedScheme();
  const tab = params.get('tab') ?? 'scheme';
  const items = [
    { key: 'scheme', label: <span data-testid="grading-tab-scheme">{t('scheme.tabPublished')}</span>, children: <PublishedTab /> },
    ...(can('scheme.manage')
      ? [
          {
            key: 'draft',
            label: <span data-testid="grading-tab-draft">{t('scheme.tabDraft')}</span>,
            children: published.isPending ? <Loading /> : <SchemeEditor published={published.data ?? null} />,
          },
        ]
      : []),
    { key: 'versions', label: <span data-testid="grading-tab-versions">{t('scheme.tabVersions')}</span>, children: <VersionsTab /> },
    ...(can('catalog.read')
      ? [{ key: 'pending', label: <span data-testid="grading-tab-pending">{t('grading.tabPending')}</span>, children: <PendingTab /> }]
      : []),
  ];
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.grading')}
        </Typography.Title>
        {can('catalog.read') && (
          <Link to="/grading/dashboard" data-testid="grading-dashboard-link">
            <Button icon={<BarChartOutlined />}>{t('dashboard.title')}</Button>
          </Link>
        )}
      </Space>
      <Card size="small">
        <Tabs
          activeKey={items.some((i) => i.key === tab) ? tab : 'scheme'}
          onChange={(k) => {
            const p = new URLSearchParams(params);
            if (k === 'scheme') p.delete('tab');
            else p.set('tab', k);
            setParams(p);
          }}
          items={items}
          destroyOnHidden
        />
      </Card>
    </div>
  );
}
