// 全程追溯 (AUD-6): pick a resource (and optionally a record key) and see every audit event that touched it,
// in time order: stage, who, when, outcome. For a record key, the dataset versions that held the record and
// the deliveries whose content included it. The resource lives in the URL (?resourceId=); a record key is
// personal data (an ID number…), so it stays out of the address bar and goes in a POST body.
import { NodeIndexOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Input, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { TRACE_STAGE_LABELS, type TraceStage } from '../../../../src/engines/audit-report/trace.ts';
import { api } from '../../api.ts';
import type { Trace, TraceEvent } from '../../auditReportTypes.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fmtDateTime } from '../../format.ts';
import { type MessageKey, useI18n, useT } from '../../i18n.tsx';
import type { Paged, ResourceSummary } from '../../types.ts';
import { OUTCOME_COLORS, useAuditLabels } from './reportParts.tsx';

const STAGE_COLORS: Record<TraceStage, string> = {
  register: 'blue',
  discover: 'cyan',
  grade: 'geekblue',
  load: 'purple',
  key: 'gold',
  mask: 'lime',
  access: 'default',
  deliver: 'orange',
  trace: 'magenta',
  share: 'volcano',
  delete: 'red',
  audit: 'default',
  other: 'default',
};

const HELD_COLORS: Record<string, string> = { held: 'green', possibly: 'gold', not_held: 'default' };

/** The few details worth a line in the timeline (never the whole record). */
function detailLine(e: TraceEvent, t: ReturnType<typeof useT>): string {
  const d = e.details as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.version === 'number') parts.push(t('auditTrace.detail.version', { v: d.version }));
  if (typeof d.mode === 'string') parts.push(String(d.mode));
  if (typeof d.rowCount === 'number') parts.push(t('auditTrace.detail.rows', { n: d.rowCount }));
  else if (typeof d.rows === 'number') parts.push(t('auditTrace.detail.rows', { n: d.rows }));
  if (typeof d.recipient === 'string') parts.push(t('auditTrace.detail.recipient', { r: d.recipient }));
  if (typeof d.datasetVersion === 'number' && e.action !== 'discovery.scan.start') parts.push(t('auditTrace.detail.datasetVersion', { v: d.datasetVersion }));
  if (typeof d.verdict === 'string') parts.push(t('auditTrace.detail.verdict', { v: d.verdict }));
  if (typeof d.level === 'string') parts.push(t('auditTrace.detail.level', { v: d.level }));
  if (typeof d.reason === 'string') parts.push(t('auditTrace.detail.reason', { r: d.reason }));
  return parts.join(' · ');
}

function ResourcePicker({ value, onChange }: { value: string | undefined; onChange: (id: string | undefined) => void }) {
  const t = useT();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['audit', 'trace', 'resources', q],
    queryFn: () => api.get<Paged<ResourceSummary>>('/api/resources', { q: q || undefined, pageSize: 20 }),
    staleTime: 30_000,
  });
  // The chosen resource stays listed while another search runs.
  const chosen = useQuery({
    queryKey: ['audit', 'trace', 'resource', value],
    queryFn: () => api.get<ResourceSummary>(`/api/resources/${value}`),
    enabled: !!value && !(found.data?.items ?? []).some((r) => r.id === value),
  });
  const items = [...(found.data?.items ?? [])];
  if (chosen.data && !items.some((r) => r.id === chosen.data.id)) items.unshift(chosen.data);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={(v: string | undefined) => onChange(v)}
      allowClear
      placeholder={t('auditTrace.pickResource')}
      style={{ width: 360 }}
      loading={found.isFetching}
      data-testid="trace-resource-select"
      notFoundContent={found.isFetching ? t('common.loading') : t('common.noMatch')}
      options={items.map((r) => ({ value: r.id, label: `${r.name} — ${r.institutionName}` }))}
    />
  );
}

export default function AuditTracePage() {
  const t = useT();
  const { pick } = useI18n();
  const l = useAuditLabels();
  const [params, setParams] = useSearchParams();
  const resourceId = params.get('resourceId') ?? undefined;
  const [picked, setPicked] = useState<string | undefined>(resourceId);
  const [key, setKey] = useState('');
  /** The record key the shown trace was asked for (applied with the button, not while typing). */
  const [recordKey, setRecordKey] = useState<string | undefined>(undefined);

  const trace = useQuery({
    queryKey: ['audit', 'trace', resourceId, recordKey],
    queryFn: () => api.post<Trace>('/api/audit/trace', { resourceId, ...(recordKey ? { recordKey } : {}) }),
    enabled: !!resourceId,
  });
  const run = () => {
    if (!picked) return;
    const next = key.trim() || undefined;
    if (picked === resourceId && next === recordKey) {
      void trace.refetch();
      return;
    }
    setRecordKey(next);
    if (picked !== resourceId) setParams(new URLSearchParams({ resourceId: picked }));
  };
  const stage = (s: TraceStage) => pick(TRACE_STAGE_LABELS[s], s);
  const data = trace.data;
  const record = data?.record ?? null;

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.auditTrace')}
      </Typography.Title>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap>
          <ResourcePicker value={picked} onChange={setPicked} />
          <Input
            allowClear
            value={key}
            onChange={(e) => setKey(e.target.value)}
            onPressEnter={run}
            placeholder={t('auditTrace.recordKey')}
            style={{ width: 260 }}
            data-testid="trace-record-key"
          />
          <Button type="primary" icon={<NodeIndexOutlined />} onClick={run} disabled={!picked} data-testid="trace-run">
            {t('auditTrace.run')}
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {t('auditTrace.hint')}
        </Typography.Paragraph>
      </Card>
      <ErrorAlert error={trace.error} />
      {!resourceId && <Empty description={t('auditTrace.empty')} />}
      {data && (
        <div data-testid="trace" data-resource-id={data.resource.id} data-total={data.total}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={{ xs: 1, md: 3 }}>
              <Descriptions.Item label={t('auditTrace.resource')}>
                <Link to={`/catalog/${data.resource.id}`} data-testid="trace-resource-name">
                  {data.resource.name}
                </Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('auditReport.institution')}>{data.resource.institutionName}</Descriptions.Item>
              <Descriptions.Item label={t('auditTrace.events')}>{data.total}</Descriptions.Item>
            </Descriptions>
            <Space wrap data-testid="trace-stages">
              {data.stages.map((s, i) => (
                <span key={s.stage} data-stage={s.stage}>
                  {i > 0 && <Typography.Text type="secondary">→ </Typography.Text>}
                  <Tag color={STAGE_COLORS[s.stage]}>{`${stage(s.stage)} ${s.count}`}</Tag>
                </span>
              ))}
            </Space>
          </Card>
          {record && (
            <Card
              size="small"
              title={t('auditTrace.recordTitle', { key: recordKey ?? '' })}
              style={{ marginBottom: 16 }}
              data-testid="trace-record"
              data-state={record.state}
            >
              <Alert
                type={record.state === 'present' ? 'success' : record.state === 'absent' ? 'info' : 'warning'}
                showIcon
                style={{ marginBottom: 12 }}
                title={t(`auditTrace.state.${record.state}` as MessageKey, {
                  field: record.keyField ?? '—',
                  v: record.currentVersion,
                  last: record.lastWrittenVersion ?? '—',
                })}
              />
              {record.versions.length > 0 && (
                <Space wrap style={{ marginBottom: 12 }} data-testid="trace-versions">
                  {record.versions.map((v) => (
                    <Tag key={v.version} color={HELD_COLORS[v.held]} data-held={v.held}>
                      {`v${v.version}${v.mode ? ` ${v.mode}` : ''} · ${t(`auditTrace.held.${v.held}` as MessageKey)}`}
                    </Tag>
                  ))}
                </Space>
              )}
              <Table
                rowKey="deliveryId"
                size="small"
                data-testid="trace-deliveries"
                dataSource={record.deliveries}
                pagination={false}
                locale={{ emptyText: t('auditTrace.noDeliveries') }}
                columns={[
                  { title: t('auditTrace.deliveredAt'), dataIndex: 'createdAt', render: (v: string) => fmtDateTime(v) },
                  { title: t('auditTrace.recipient'), dataIndex: 'recipient' },
                  { title: t('auditTrace.datasetVersion'), dataIndex: 'datasetVersion', render: (v: number) => `v${v}` },
                  { title: t('auditTrace.rows'), dataIndex: 'rows', render: (v: number | null) => v ?? '—' },
                  {
                    title: t('auditTrace.included'),
                    dataIndex: 'included',
                    render: (v: string) => <Tag color={HELD_COLORS[v]}>{t(`auditTrace.held.${v}` as MessageKey)}</Tag>,
                  },
                ]}
              />
            </Card>
          )}
          <Card size="small" title={t('auditTrace.timeline')}>
            {data.events.length === 0 ? (
              <Empty description={t('auditTrace.noEvents')} />
            ) : (
              <Timeline
                data-testid="trace-timeline"
                items={data.events.map((e) => ({
                  key: e.id,
                  color: e.outcome === 'success' ? (e.stage === 'delete' ? 'red' : 'blue') : 'gray',
                  title: fmtDateTime(e.occurredAt),
                  content: (
                    <div data-testid="trace-event" data-stage={e.stage} data-action={e.action}>
                      <Space size={6} wrap>
                        <Tag color={STAGE_COLORS[e.stage]}>{stage(e.stage)}</Tag>
                        <Typography.Text strong>{l.action(e.action) || e.action}</Typography.Text>
                        <Typography.Text type="secondary">{e.actorUsername ?? t('audit.anonymous')}</Typography.Text>
                        <Tag color={OUTCOME_COLORS[e.outcome]}>{l.outcome(e.outcome)}</Tag>
                        {e.record && <Tag color={HELD_COLORS[e.record]}>{t(`auditTrace.held.${e.record}` as MessageKey)}</Tag>}
                      </Space>
                      {detailLine(e, t) && <div style={{ color: '#595959', fontSize: 12 }}>{detailLine(e, t)}</div>}
                    </div>
                  ),
                }))}
              />
            )}
            {data.total > data.events.length && <Alert type="info" showIcon title={t('auditTrace.truncated', { n: data.events.length, total: data.total })} />}
          </Card>
        </div>
      )}
    </div>
  );
}
