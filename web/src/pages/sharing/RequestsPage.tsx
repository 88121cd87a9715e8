// 共享申请 (LIF-4): the share requests within reach — the caller's own applications, the ones waiting on the
// caller's institution as provider or approver — with search, status and overdue filters; each row opens
// the request's page. New applications start from a resource's catalog page (申请共享).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Input, Select, Space, Table, Tabs, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { serverPagination, useListFilters } from '../../components/paging.ts';
import { fmtDateTime } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import { useCan } from '../../session.tsx';
import type { RequestListQuery, RequestStatus, ShareRequestSummary } from '../../sharingTypes.ts';
import type { Paged } from '../../types.ts';
import { labelOf, METHOD, REQUEST_STATUS, STEP_KIND } from './labels.ts';
import { Due, StatusTag } from './parts.tsx';

type Filters = RequestListQuery & { page: number; pageSize: number };
type Role = NonNullable<RequestListQuery['role']>;

export const REQUESTS_KEY = ['share-requests'] as const;

export default function RequestsPage() {
  const t = useT();
  const { pick } = useI18n();
  const can = useCan();
  const initialRole: Role | undefined = can('sharing.apply') ? 'applicant' : can('sharing.provide') ? 'provider' : undefined;
  const { f, setF, set, qInput, setQInput } = useListFilters<Filters>({ page: 1, pageSize: 20, role: initialRole });
  const query = useQuery({
    queryKey: [...REQUESTS_KEY, f],
    queryFn: () => api.get<Paged<ShareRequestSummary>>('/api/share-requests', { ...f }),
    placeholderData: keepPreviousData,
  });
  const tabs: { key: string; label: string }[] = [];
  if (can('sharing.apply')) tabs.push({ key: 'applicant', label: t('sharing.requests.tab.applicant') });
  if (can('sharing.provide')) tabs.push({ key: 'provider', label: t('sharing.requests.tab.provider') });
  if (can('sharing.approve')) tabs.push({ key: 'approver', label: t('sharing.requests.tab.approver') });
  tabs.push({ key: 'all', label: t('sharing.requests.tab.all') });

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.sharingRequests')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('sharing.requests.intro')}</Typography.Paragraph>
      <Card size="small">
        <Tabs
          activeKey={f.role ?? 'all'}
          onChange={(k) => set({ role: k === 'all' ? undefined : (k as Role) })}
          items={tabs.map((x) => ({ key: x.key, label: <span data-testid={`requests-tab-${x.key}`}>{x.label}</span> }))}
        />
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            style={{ width: 280 }}
            placeholder={t('sharing.requests.search')}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            data-testid="requests-search"
          />
          <Select<RequestStatus>
            allowClear
            placeholder={t('common.status')}
            style={{ width: 150 }}
            value={f.status}
            onChange={(v) => set({ status: v })}
            options={(Object.keys(REQUEST_STATUS) as RequestStatus[]).map((s) => ({ value: s, label: pick(REQUEST_STATUS[s]) }))}
            data-testid="requests-filter-status"
          />
          <Checkbox checked={f.overdue === true} onChange={(e) => set({ overdue: e.target.checked ? true : undefined })} data-testid="requests-filter-overdue">
            {t('sharing.filter.overdue')}
          </Checkbox>
          <Button
            onClick={() => {
              setQInput('');
              setF({ page: 1, pageSize: f.pageSize, role: f.role });
            }}
          >
            {t('common.reset')}
          </Button>
          {can('sharing.apply') && (
            <Link to="/catalog" data-testid="requests-apply-hint">
              {t('sharing.requests.applyHint')}
            </Link>
          )}
        </Space>
        <ErrorAlert error={query.error} />
        <Table<ShareRequestSummary>
          rowKey="id"
          size="middle"
          data-testid="requests-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: t('sharing.requests.empty') }}
          pagination={serverPagination(f, setF, query.data?.total, t)}
          scroll={{ x: 1200 }}
          columns={[
            {
              title: t('sharing.col.number'),
              dataIndex: 'number',
              width: 150,
              render: (v: string, r) => (
                <Link to={`/sharing/requests/${r.id}`} data-testid="request-link">
                  {v}
                </Link>
              ),
            },
            { title: t('sharing.col.resource'), key: 'resource', render: (_v, r) => r.resource.name },
            { title: t('sharing.col.provider'), key: 'provider', width: 150, render: (_v, r) => r.provider.name },
            {
              title: t('sharing.col.applicant'),
              key: 'applicant',
              width: 170,
              render: (_v, r) => (
                <Space orientation="vertical" size={0}>
                  <span>{r.applicant.name}</span>
                  <Typography.Text type="secondary">{r.applicantUser.displayName}</Typography.Text>
                </Space>
              ),
            },
            { title: t('sharing.col.purpose'), dataIndex: 'purpose', ellipsis: true },
            { title: t('sharing.col.method'), dataIndex: 'method', width: 100, render: (v: string) => pick(labelOf(METHOD, v)) },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 120,
              render: (v: RequestStatus) => <StatusTag table={REQUEST_STATUS} value={v} testId="request-row-status" />,
            },
            {
              title: t('sharing.col.currentStep'),
              key: 'step',
              width: 210,
              render: (_v, r) =>
                r.currentStep ? (
                  <Space orientation="vertical" size={0}>
                    <span>
                      {pick(labelOf(STEP_KIND, r.currentStep.kind))} · {r.currentStep.institution.name}
                    </span>
                    <Due date={r.currentStep.dueDate} overdue={r.currentStep.overdue} testId="request-row-due" />
                  </Space>
                ) : (
                  '—'
                ),
            },
            { title: t('common.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
          ]}
        />
      </Card>
    </div>
  );
}
