// 系统登记: registered processing systems (AST-1), server-side paginated, with search and filters by status,
// hosting, MLPS level and late filings; each row shows its review state and the DG-8 deadline.
import { AuditOutlined, CarryOutOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Empty, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.ts';
import {
  FILING_KIND_LABEL,
  HOSTING_LABEL,
  HOSTINGS,
  LateTag,
  MLPS_LEVELS,
  optionsOf,
  ReviewTag,
  SYSTEM_FLAG_LABEL,
  SYSTEM_STATUS_LABEL,
  SYSTEM_STATUSES,
  SystemStatusTag,
} from '../components/catalog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../components/institutions.tsx';
import { serverPagination, useListFilters } from '../components/paging.ts';
import { fmtDateTime } from '../format.ts';
import { useT } from '../i18n.tsx';
import { useCan } from '../session.tsx';
import type { Hosting, Paged, SystemQuery, SystemStatus, SystemSummary } from '../types.ts';
import { SystemFormDrawer } from './systems/SystemFormDrawer.tsx';

type Filters = SystemQuery & { page: number; pageSize: number };

export default function SystemsPage() {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const { f, setF, set, qInput, setQInput, reset } = useListFilters<Filters>({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const query = useQuery({
    queryKey: ['systems', 'list', f],
    queryFn: () => api.get<Paged<SystemSummary>>('/api/systems', { ...f }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(f.q || f.institutionId || f.status || f.hosting || f.mlpsLevel || f.late);

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.systems')}
        </Typography.Title>
        <Space>
          {can('system.read') && (
            <Link to="/systems/filings" data-testid="system-filings-link">
              <Button icon={<AuditOutlined />}>{can('system.review') ? t('filing.queueTitle') : t('filing.listTitle')}</Button>
            </Link>
          )}
          {can('system.read') && (
            <Link to="/systems/asset-checks" data-testid="system-asset-checks-link">
              <Button icon={<CarryOutOutlined />}>{t('assetCheck.open')}</Button>
            </Link>
          )}
          {can('system.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="system-create">
              {t('system.create')}
            </Button>
          )}
        </Space>
      </Space>
      <Card size="small">
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('system.searchPlaceholder')}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            maxLength={100}
            style={{ width: 240 }}
            data-testid="system-search"
          />
          <InstitutionTreeSelect
            testId="system-filter-institution"
            value={f.institutionId}
            onChange={(v) => set({ institutionId: v })}
            style={{ width: 220 }}
          />
          <Select<SystemStatus>
            allowClear
            placeholder={t('common.status')}
            style={{ width: 120 }}
            value={f.status}
            onChange={(v) => set({ status: v })}
            options={optionsOf(SYSTEM_STATUSES, SYSTEM_STATUS_LABEL, t)}
            data-testid="system-filter-status"
          />
          <Select<Hosting>
            allowClear
            placeholder={t('system.hosting')}
            style={{ width: 140 }}
            value={f.hosting}
            onChange={(v) => set({ hosting: v })}
            options={optionsOf(HOSTINGS, HOSTING_LABEL, t)}
            data-testid="system-filter-hosting"
          />
          <Select<number>
            allowClear
            placeholder={t('system.mlpsLevel')}
            style={{ width: 140 }}
            value={f.mlpsLevel}
            onChange={(v) => set({ mlpsLevel: v })}
            options={MLPS_LEVELS.map((n) => ({ value: n, label: t('system.mlpsN', { n }) }))}
            data-testid="system-filter-mlps"
          />
          <Checkbox checked={!!f.late} onChange={(e) => set({ late: e.target.checked || undefined })} data-testid="system-filter-late">
            {t('system.onlyLate')}
          </Checkbox>
          <Button onClick={reset}>{t('common.reset')}</Button>
        </Space>
        <ErrorAlert error={query.error} />
        <Table<SystemSummary>
          rowKey="id"
          size="middle"
          data-testid="system-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: <Empty description={filtered ? t('common.noMatch') : t('system.empty')} /> }}
          onRow={(s) => ({ onClick: () => navigate(`/systems/${s.id}`), style: { cursor: 'pointer' } })}
          pagination={serverPagination(f, setF, query.data?.total, t)}
          scroll={{ x: 1000 }}
          columns={[
            {
              title: t('system.name'),
              dataIndex: 'name',
              render: (name: string, s) => (
                <Space size={4}>
                  <Link to={`/systems/${s.id}`} data-testid="system-open" onClick={(e) => e.stopPropagation()}>
                    {name}
                  </Link>
                  {s.cii && <Tag color="magenta">{t('system.ciiShort')}</Tag>}
                  {s.flags.length > 0 && (
                    <Tooltip title={s.flags.map((f) => t(SYSTEM_FLAG_LABEL[f])).join('；')}>
                      <WarningOutlined style={{ color: '#d46b08' }} data-testid="system-flag-icon" />
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            { title: t('system.institution'), dataIndex: 'institutionName', render: (v?: string) => v ?? '—' },
            { title: t('common.status'), dataIndex: 'status', width: 100, render: (s: SystemStatus) => <SystemStatusTag status={s} /> },
            { title: t('system.mlpsLevel'), dataIndex: 'mlpsLevel', width: 100, render: (n?: number | null) => (n ? t('system.mlpsN', { n }) : '—') },
            { title: t('system.hosting'), dataIndex: 'hosting', width: 110, render: (h?: Hosting | null) => (h ? t(HOSTING_LABEL[h]) : '—') },
            {
              title: t('system.reviewState'),
              key: 'review',
              width: 150,
              render: (_v, s) => {
                const filing = s.latestFiling;
                return filing ? (
                  <Space size={4} wrap>
                    <Typography.Text type="secondary">{t(FILING_KIND_LABEL[filing.kind])}</Typography.Text>
                    <ReviewTag status={filing.reviewStatus} />
                  </Space>
                ) : (
                  '—'
                );
              },
            },
            {
              title: t('system.deadline'),
              key: 'deadline',
              width: 160,
              render: (_v, s) => {
                const deadline = s.latestFiling?.deadline;
                return deadline || s.hasLateFiling ? (
                  <Space size={4} data-testid="system-deadline">
                    <span>{deadline ?? '—'}</span>
                    {s.hasLateFiling && <LateTag deadline={s.latestFiling?.late ? deadline : undefined} />}
                  </Space>
                ) : (
                  '—'
                );
              },
            },
            { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: string) => fmtDateTime(v) },
          ]}
        />
      </Card>
      {creating && <SystemFormDrawer mode="create" onClose={() => setCreating(false)} onSaved={(id) => navigate(`/systems/${id}`)} />}
    </div>
  );
}
