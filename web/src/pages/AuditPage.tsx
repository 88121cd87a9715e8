// 审计日志: filterable, server-side paginated audit events; times in Beijing time. Each row's 存证 opens the
// event's proof on the hash chain (AUD-2). ?targetType=&targetId= preset the target filter (links from
// other pages); ?proof=<event id> opens that event's proof.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { AUDIT_ACTION_LABELS } from '../../../src/modules/audit/audit.actions.ts';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../components/institutions.tsx';
import { serverPagination } from '../components/paging.ts';
import { beijingDayBoundary, fmtDateTime } from '../format.ts';
import { useI18n, useT } from '../i18n.tsx';
import type { AuditEvent, AuditQuery, Paged } from '../types.ts';
import { EventProofDrawer } from './audit/EventProofDrawer.tsx';

type Filters = AuditQuery & { page: number; pageSize: number };
type Outcome = AuditEvent['outcome'];

const OUTCOME_COLORS: Record<string, string> = { success: 'green', failure: 'red', denied: 'orange' };

export default function AuditPage() {
  const t = useT();
  const { pick } = useI18n();
  const [params, setParams] = useSearchParams();
  const [f, setF] = useState<Filters>(() => ({
    page: 1,
    pageSize: 20,
    targetType: params.get('targetType') || undefined,
    targetId: params.get('targetId') || undefined,
  }));
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [targetType, setTargetType] = useState(params.get('targetType') ?? '');
  const [targetId, setTargetId] = useState(params.get('targetId') ?? '');
  const proofId = params.get('proof');
  const showProof = (id: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (id) next.set('proof', id);
        else next.delete('proof');
        return next;
      },
      { replace: true },
    );
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const query = useQuery({
    queryKey: ['audit', f],
    queryFn: () => api.get<Paged<AuditEvent>>('/api/audit-events', { ...f }),
    placeholderData: keepPreviousData,
  });

  const apply = (outcome: Outcome | undefined = f.outcome) =>
    setF((old) => ({
      ...old,
      page: 1,
      action: action.trim() || undefined,
      actor: actor.trim() || undefined,
      targetType: targetType.trim() || undefined,
      targetId: targetId.trim() || undefined,
      outcome,
      // The picker's days are Beijing calendar days: from 00:00 of the first to 00:00 after the last (exclusive).
      from: range?.[0] ? beijingDayBoundary(range[0].format('YYYY-MM-DD'), false) : undefined,
      to: range?.[1] ? beijingDayBoundary(range[1].add(1, 'day').format('YYYY-MM-DD'), false) : undefined,
    }));
  const outcomeLabel = (o: string) =>
    o === 'success' ? t('audit.outcomeSuccess') : o === 'failure' ? t('audit.outcomeFailure') : o === 'denied' ? t('audit.outcomeDenied') : o;

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.audit')}
      </Typography.Title>
      <Card size="small">
        <Space wrap style={{ marginBottom: 16 }}>
          <Input
            allowClear
            placeholder={t('audit.actionFilter')}
            value={action}
            onChange={(e) => setAction(e.target.value)}
            onPressEnter={() => apply()}
            style={{ width: 200 }}
            data-testid="audit-filter-action"
          />
          <Input
            allowClear
            placeholder={t('audit.actorFilter')}
            value={actor}
            onChange={(e) => setActor(e.target.value)}
            onPressEnter={() => apply()}
            style={{ width: 180 }}
            data-testid="audit-filter-actor"
          />
          <Input
            allowClear
            placeholder={t('audit.targetTypeFilter')}
            value={targetType}
            onChange={(e) => setTargetType(e.target.value)}
            onPressEnter={() => apply()}
            style={{ width: 200 }}
            data-testid="audit-filter-target-type"
          />
          <Input
            allowClear
            placeholder={t('audit.targetIdFilter')}
            value={targetId}
            onChange={(e) => setTargetId(e.target.value)}
            onPressEnter={() => apply()}
            style={{ width: 220 }}
            data-testid="audit-filter-target-id"
          />
          <InstitutionTreeSelect
            testId="audit-filter-institution"
            value={f.institutionId}
            onChange={(v) => setF((old) => ({ ...old, page: 1, institutionId: v }))}
            placeholder={t('audit.institution')}
            style={{ width: 220 }}
          />
          <Select
            allowClear
            placeholder={t('audit.outcome')}
            style={{ width: 130 }}
            value={f.outcome}
            onChange={(v: Outcome | undefined) => apply(v)}
            options={(['success', 'failure', 'denied'] as const).map((o) => ({ value: o, label: outcomeLabel(o) }))}
            data-testid="audit-filter-outcome"
          />
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} data-testid="audit-filter-range" />
          <Button type="primary" onClick={() => apply()} data-testid="audit-search">
            {t('common.search')}
          </Button>
          <Button
            onClick={() => {
              setAction('');
              setActor('');
              setTargetType('');
              setTargetId('');
              setRange(null);
              setF({ page: 1, pageSize: f.pageSize });
            }}
          >
            {t('common.reset')}
          </Button>
        </Space>
        <ErrorAlert error={query.error} />
        <Table<AuditEvent>
          rowKey="id"
          size="middle"
          data-testid="audit-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: t('audit.empty') }}
          pagination={serverPagination(f, setF, query.data?.total, t)}
          expandable={{
            rowExpandable: (e) => Object.keys(e.details ?? {}).length > 0,
            expandedRowRender: (e) => (
              <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(e.details, null, 2)}</pre>
            ),
          }}
          columns={[
            { title: t('audit.time'), dataIndex: 'occurredAt', width: 180, render: (v: string) => fmtDateTime(v) },
            {
              title: t('audit.actor'),
              dataIndex: 'actorUsername',
              render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('audit.anonymous')}</Typography.Text>,
            },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              render: (v: string) => (
                <Space size={4} wrap>
                  {AUDIT_ACTION_LABELS[v] ? <span>{pick(AUDIT_ACTION_LABELS[v])}</span> : null}
                  <Typography.Text code type="secondary">
                    {v}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('audit.target'),
              key: 'target',
              render: (_v, e) => (e.targetType ? `${e.targetType}${e.targetId ? ` · ${e.targetId}` : ''}` : '—'),
            },
            { title: t('audit.outcome'), dataIndex: 'outcome', render: (o: string) => <Tag color={OUTCOME_COLORS[o]}>{outcomeLabel(o)}</Tag> },
            { title: t('audit.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
            {
              title: t('common.actions'),
              key: 'ops',
              width: 80,
              render: (_v, e) => (
                <Typography.Link onClick={() => showProof(e.id)} data-testid="audit-proof">
                  {t('audit.proof')}
                </Typography.Link>
              ),
            },
          ]}
        />
      </Card>
      {proofId && <EventProofDrawer eventId={proofId} onClose={() => showProof(null)} />}
    </div>
  );
}
