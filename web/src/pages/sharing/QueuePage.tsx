// 审批队列 (LIF-4): the share requests waiting on the authority — its approval and exception steps within
// the caller's reach, overdue first (each step's deadline counted in working days by the server). Deciding
// happens on the request's own page (/sharing/requests/:id), where the whole application, evidence and
// earlier steps are in view.
import { InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { STEP_KIND_LABELS, STEP_KINDS, type StepKind } from '../../../../src/engines/sharing/chain.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fmtDateTime } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import type { QueueItem, SharingQueue } from '../../sharingOverviewTypes.ts';
import { DueCell } from './overviewParts.tsx';

interface Filters {
  q?: string;
  kind?: StepKind;
  overdue?: boolean;
}

export default function QueuePage() {
  const t = useT();
  const { pick } = useI18n();
  const [f, setF] = useState<Filters>({});
  const [qInput, setQInput] = useState('');
  const set = (patch: Partial<Filters>) => setF((old) => ({ ...old, ...patch }));
  const reset = () => {
    setQInput('');
    setF({});
  };
  // The whole queue comes at once (it is what waits on the caller's institutions), already overdue first.
  const query = useQuery({ queryKey: ['sharing', 'queue'], queryFn: () => api.get<SharingQueue>('/api/sharing/queue') });
  const needle = f.q?.trim() ?? '';
  const items = (query.data?.items ?? []).filter(
    (r) =>
      (!f.kind || r.currentStep?.kind === f.kind) &&
      (!f.overdue || r.currentStep?.overdue) &&
      (!needle || [r.number, r.resource.name, r.applicant.name, r.provider.name, r.purpose].some((s) => s.includes(needle))),
  );
  return (
    <Card
      title={
        <Space>
          <InboxOutlined />
          <span data-testid="sharing-queue-title">{t('sharingQueue.title')}</span>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('sharingQueue.intro')}</Typography.Paragraph>
      {query.data && (
        <Space size="large" style={{ marginBottom: 12 }} data-testid="sharing-queue-counts">
          <span>{t('sharingQueue.waiting', { n: query.data.total })}</span>
          {query.data.overdue > 0 && <Tag color="red">{t('sharingQueue.overdueCount', { n: query.data.overdue })}</Tag>}
        </Space>
      )}
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('sharingQueue.search')}
          style={{ width: 300 }}
          value={qInput}
          onChange={(e) => {
            setQInput(e.target.value);
            if (!e.target.value) set({ q: undefined });
          }}
          onSearch={(v) => set({ q: v.trim() || undefined })}
          data-testid="sharing-queue-search"
        />
        <Select<StepKind>
          allowClear
          placeholder={t('sharingQueue.stepKind')}
          style={{ width: 160 }}
          value={f.kind}
          onChange={(v) => set({ kind: v })}
          options={STEP_KINDS.filter((k) => k !== 'provider').map((k) => ({ value: k, label: pick(STEP_KIND_LABELS[k]) }))}
          data-testid="sharing-queue-kind"
        />
        <Checkbox checked={f.overdue === true} onChange={(e) => set({ overdue: e.target.checked ? true : undefined })} data-testid="sharing-queue-overdue">
          {t('sharingQueue.overdueOnly')}
        </Checkbox>
        <Button onClick={reset}>{t('common.reset')}</Button>
      </Space>
      <ErrorAlert error={query.error} />
      <Table<QueueItem>
        rowKey={(r) => `${r.id}-${r.currentStep?.kind ?? ''}`}
        size="middle"
        data-testid="sharing-queue-table"
        loading={query.isFetching}
        dataSource={items}
        locale={{ emptyText: t('sharingQueue.empty') }}
        pagination={{ pageSize: 20, showSizeChanger: true, showTotal: (n) => t('common.total', { total: n }) }}
        onRow={(r) => ({ 'data-request-id': r.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('sharingQueue.number'),
            dataIndex: 'number',
            width: 150,
            render: (v: string, r) => (
              <Link to={`/sharing/requests/${r.id}`} data-testid="sharing-queue-number">
                {v}
              </Link>
            ),
          },
          {
            title: t('sharingQueue.resource'),
            key: 'resource',
            render: (_v, r) => (
              <Space orientation="vertical" size={0}>
                <span>{r.resource.name}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.purpose}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('sharingQueue.applicant'), key: 'applicant', render: (_v, r) => r.applicant.name },
          { title: t('sharingQueue.provider'), key: 'provider', render: (_v, r) => r.provider.name },
          {
            title: t('sharingQueue.step'),
            key: 'step',
            width: 180,
            render: (_v, r) =>
              r.currentStep ? (
                <Space orientation="vertical" size={0}>
                  {/* LIF-8: an association assessment (not a plain approval) waits here: its own colour. */}
                  <Tag
                    color={r.currentStep.kind === 'exception' ? 'volcano' : r.currentStep.kind === 'association' ? 'magenta' : 'geekblue'}
                    data-testid={`sharing-queue-step-${r.currentStep.kind}`}
                  >
                    {pick(STEP_KIND_LABELS[r.currentStep.kind])}
                  </Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.currentStep.institution.name}
                  </Typography.Text>
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: t('sharingQueue.due'),
            key: 'due',
            width: 170,
            render: (_v, r) => <DueCell dueDate={r.currentStep?.dueDate ?? null} overdue={r.currentStep?.overdue ?? false} />,
          },
          { title: t('sharingQueue.submitted'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 110,
            render: (_v, r) => (
              <Link to={`/sharing/requests/${r.id}`} data-testid="sharing-queue-decide">
                {t('sharingQueue.decide')}
              </Link>
            ),
          },
        ]}
      />
    </Card>
  );
}
