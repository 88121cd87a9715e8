// 逾期事项 (LIF-4, LIF-9, LIF-10, DG-11, DG-12): everything past its working-day deadline within the caller's
// reach in one list — approval steps, deletion duties and error reports — with how many days each is late,
// most overdue first. Each row opens the record's own page.
import { FieldTimeOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { STEP_KIND_LABELS } from '../../../../src/engines/sharing/chain.ts';
import { OVERDUE_KIND_LABELS, OVERDUE_KINDS } from '../../../../src/modules/sharing/overview.schemas.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useI18n, useT } from '../../i18n.tsx';
import type { OverdueItem, OverdueKind, SharingOverdue } from '../../sharingOverviewTypes.ts';
import { DueCell } from './overviewParts.tsx';

const KIND_COLORS: Record<OverdueKind, string> = { request_step: 'geekblue', deletion_duty: 'volcano', error_report: 'gold' };

/** Where a row leads: the request (for a step), the duty or the error report. */
function linkOf(item: OverdueItem): string {
  if (item.kind === 'request_step') return `/sharing/requests/${item.id}`;
  if (item.kind === 'deletion_duty') return `/sharing/duties/${item.id}`;
  return `/sharing/error-reports/${item.id}`;
}

export default function OverduePage() {
  const t = useT();
  const { pick } = useI18n();
  const [kind, setKind] = useState<OverdueKind | 'all'>('all');
  const [q, setQ] = useState('');
  const query = useQuery({ queryKey: ['sharing', 'overdue'], queryFn: () => api.get<SharingOverdue>('/api/sharing/overdue') });
  const items = query.data?.items ?? [];
  const counts = useMemo(() => {
    const c: Record<OverdueKind, number> = { request_step: 0, deletion_duty: 0, error_report: 0 };
    for (const i of items) c[i.kind] += 1;
    return c;
  }, [items]);
  const needle = q.trim();
  const shown = items
    .filter((i) => kind === 'all' || i.kind === kind)
    .filter((i) => !needle || i.number.includes(needle) || i.institution.name.includes(needle) || i.title.includes(needle));

  return (
    <Card
      title={
        <Space>
          <FieldTimeOutlined />
          <span data-testid="sharing-overdue-title">{t('sharingOverdue.title')}</span>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('sharingOverdue.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented<OverdueKind | 'all'>
          value={kind}
          onChange={setKind}
          data-testid="sharing-overdue-kind"
          options={[
            { value: 'all', label: `${t('sharingOverdue.all')} (${items.length})` },
            ...OVERDUE_KINDS.map((k) => ({ value: k, label: `${pick(OVERDUE_KIND_LABELS[k])} (${counts[k]})` })),
          ]}
        />
        <Input.Search
          allowClear
          placeholder={t('sharingOverdue.search')}
          style={{ width: 280 }}
          onSearch={setQ}
          onChange={(e) => !e.target.value && setQ('')}
          data-testid="sharing-overdue-search"
        />
      </Space>
      <ErrorAlert error={query.error} />
      <Table<OverdueItem>
        rowKey={(r) => `${r.kind}-${r.id}`}
        size="middle"
        data-testid="sharing-overdue-table"
        loading={query.isFetching}
        dataSource={shown}
        locale={{ emptyText: t('sharingOverdue.empty') }}
        pagination={{ pageSize: 20, showSizeChanger: true, showTotal: (n) => t('common.total', { total: n }) }}
        columns={[
          {
            title: t('sharingOverdue.kind'),
            dataIndex: 'kind',
            width: 170,
            render: (k: OverdueKind, r) => (
              <Space orientation="vertical" size={0}>
                <Tag color={KIND_COLORS[k]}>{pick(OVERDUE_KIND_LABELS[k])}</Tag>
                {r.stepKind && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {pick(STEP_KIND_LABELS[r.stepKind])}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('sharingOverdue.number'),
            dataIndex: 'number',
            width: 160,
            render: (v: string, r) => (
              <Link to={linkOf(r)} data-testid="sharing-overdue-link">
                {v}
              </Link>
            ),
          },
          { title: t('sharingOverdue.subject'), dataIndex: 'title' },
          { title: t('sharingOverdue.institution'), key: 'inst', width: 200, render: (_v, r) => r.institution.name },
          {
            title: t('sharingOverdue.due'),
            key: 'due',
            width: 200,
            render: (_v, r) => <DueCell dueDate={r.dueDate} overdue daysOverdue={r.daysOverdue} />,
          },
          {
            title: t('sharingOverdue.daysOverdue'),
            dataIndex: 'daysOverdue',
            width: 120,
            align: 'right',
            sorter: (a, b) => a.daysOverdue - b.daysOverdue,
            defaultSortOrder: 'descend',
          },
        ]}
      />
    </Card>
  );
}
