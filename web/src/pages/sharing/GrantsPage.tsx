import { Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { serverPagination, useListFilters, usePagedQuery } from '../../components/paging.ts';
import { fmtDateTime } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import { useCan } from '../../session.tsx';
import type { GrantListQuery, GrantStatus, ShareGrant } from '../../sharingTypes.ts';
import { GRANT_STATUS } from './labels.ts';
import { RoleTabs, StatusTag, Term } from './parts.tsx';

type Filters = GrantListQuery & { page: number; pageSize: number };
type Role = NonNullable<GrantListQuery['role']>;

export const GRANTS_KEY = ['share-grants'] as const;

export default function GrantsPage() {
  const t = useT();
  const { pick } = useI18n();
  const can = useCan();
  const initialRole: Role | undefined = can('sharing.apply') ? 'recipient' : can('sharing.provide') ? 'provider' : undefined;
  const { f, setF, set } = useListFilters<Filters>({ page: 1, pageSize: 20, role: initialRole });
  const query = usePagedQuery<ShareGrant>(GRANTS_KEY, '/api/share-grants', f);
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.sharingGrants')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('sharing.grants.intro')}</Typography.Paragraph>
      <Card size="small">
        <RoleTabs<Role>
          sides={[
            { key: 'recipient', label: t('sharing.grants.tab.recipient'), shown: can('sharing.apply') },
            { key: 'provider', label: t('sharing.grants.tab.provider'), shown: can('sharing.provide') },
          ]}
          value={f.role}
          onChange={(role) => set({ role })}
          testIdPrefix="grants"
        />
        <Space wrap style={{ marginBottom: 16 }}>
          <Select<GrantStatus>
            allowClear
            placeholder={t('common.status')}
            style={{ width: 140 }}
            value={f.status}
            onChange={(v) => set({ status: v })}
            options={(Object.keys(GRANT_STATUS) as GrantStatus[]).map((s) => ({ value: s, label: pick(GRANT_STATUS[s]) }))}
            data-testid="grants-filter-status"
          />
          <Button onClick={() => setF({ page: 1, pageSize: f.pageSize, role: f.role })}>{t('common.reset')}</Button>
        </Space>
        <ErrorAlert error={query.error} />
        <Table<ShareGrant>
          rowKey="id"
          size="middle"
          data-testid="grants-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: t('sharing.grants.empty') }}
          pagination={serverPagination(f, setF, query.data?.total, t)}
          scroll={{ x: 1200 }}
          columns={[
            {
              title: t('sharing.col.number'),
              dataIndex: 'number',
              width: 150,
              render: (v: string, g) => (
                <Link to={`/sharing/grants/${g.id}`} data-testid="grant-link">
                  {v}
                </Link>
              ),
            },
            {
              title: t('sharing.col.resource'),
              key: 'resource',
              render: (_v, g) => (
                <Space size={4} wrap>
                  <span>{g.resource.name}</span>
                  {g.aggregateOnly && <Tag color="purple">{t('sharing.grant.aggregateOnly')}</Tag>}
                </Space>
              ),
            },
            { title: t('sharing.col.provider'), key: 'provider', width: 140, render: (_v, g) => g.provider.name },
            { title: t('sharing.grant.recipient'), key: 'recipient', width: 140, render: (_v, g) => g.recipient.name },
            {
              title: t('sharing.col.purpose'),
              key: 'purpose',
              ellipsis: true,
              render: (_v, g) => (
                <span>
                  {g.purpose} <Typography.Text code>{g.purposeCode}</Typography.Text>
                </span>
              ),
            },
            { title: t('sharing.apply.term'), key: 'term', width: 210, render: (_v, g) => <Term start={g.termStart} end={g.termEnd} /> },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 90,
              render: (v: GrantStatus) => <StatusTag table={GRANT_STATUS} value={v} testId="grant-row-status" />,
            },
            {
              title: t('sharing.grant.usageToday'),
              key: 'usage',
              width: 140,
              render: (_v, g) => t('sharing.grant.usage', { calls: g.usage.callsToday, rows: g.usage.rowsToday }),
            },
            { title: t('common.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
          ]}
        />
      </Card>
    </div>
  );
}
