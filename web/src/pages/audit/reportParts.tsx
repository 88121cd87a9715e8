// Shared pieces of the audit report pages (AUD-4, AUD-5): report periods in Beijing time, labels, and the
// report's sections as the screen shows them.
import { Descriptions, Empty, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { PRIVILEGE_KIND_LABELS, type PrivilegeKind } from '../../../../src/engines/audit-report/report.ts';
import { AUDIT_ACTION_LABELS } from '../../../../src/modules/audit/audit.actions.ts';
import type { AuditReport, Counts, ReportEvent, VendorConclusion } from '../../auditReportTypes.ts';
import { beijingDayBoundary, fmtDateTime } from '../../format.ts';
import { type MessageKey, useI18n, useT } from '../../i18n.tsx';

export type PeriodKind = 'month' | 'quarter' | 'year' | 'custom';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A report period [from, to) for a month, quarter or year containing `date`, or for a custom range of
 * days (both inclusive), as UTC instants of Beijing midnights.
 */
export function periodOf(kind: PeriodKind, date: Dayjs | null, range: [Dayjs | null, Dayjs | null] | null): { from: string; to: string } | null {
  if (kind === 'custom') {
    if (!range?.[0] || !range[1]) return null;
    return { from: beijingDayBoundary(range[0].format('YYYY-MM-DD'), false), to: beijingDayBoundary(range[1].add(1, 'day').format('YYYY-MM-DD'), false) };
  }
  if (!date) return null;
  const y = date.year();
  const m = date.month() + 1;
  let first: [number, number];
  let next: [number, number];
  if (kind === 'year') {
    first = [y, 1];
    next = [y + 1, 1];
  } else {
    const start = kind === 'quarter' ? Math.floor((m - 1) / 3) * 3 + 1 : m;
    const span = kind === 'quarter' ? 3 : 1;
    first = [y, start];
    next = start + span > 12 ? [y + 1, start + span - 12] : [y, start + span];
  }
  return { from: beijingDayBoundary(`${first[0]}-${pad(first[1])}-01`, false), to: beijingDayBoundary(`${next[0]}-${pad(next[1])}-01`, false) };
}

export const OUTCOME_COLORS: Record<string, string> = { success: 'green', failure: 'red', denied: 'orange' };
export const SEVERITY_COLORS: Record<string, string> = { high: 'red', medium: 'orange', low: 'blue' };

export function useAuditLabels() {
  const t = useT();
  const { pick } = useI18n();
  return {
    action: (a: string) => (AUDIT_ACTION_LABELS[a] ? pick(AUDIT_ACTION_LABELS[a]) : ''),
    outcome: (o: string) =>
      o === 'success' ? t('audit.outcomeSuccess') : o === 'failure' ? t('audit.outcomeFailure') : o === 'denied' ? t('audit.outcomeDenied') : o,
    kind: (k: string) => pick(PRIVILEGE_KIND_LABELS[k as PrivilegeKind], k),
    severity: (s: string) => (['high', 'medium', 'low'].includes(s) ? t(`auditReport.severity.${s}` as MessageKey) : s),
    status: (s: string) => (['open', 'acknowledged', 'closed'].includes(s) ? t(`auditReport.status.${s}` as MessageKey) : s),
    conclusion: (c: VendorConclusion) => t(c === 'satisfactory' ? 'auditReport.conclusion.satisfactory' : 'auditReport.conclusion.issues_found'),
  };
}

export function ActionCell({ action }: { action: string }) {
  const l = useAuditLabels();
  return (
    <Space size={4} wrap>
      {l.action(action) ? <span>{l.action(action)}</span> : null}
      <Typography.Text code type="secondary">
        {action}
      </Typography.Text>
    </Space>
  );
}

function countColumns(t: ReturnType<typeof useT>) {
  return [
    { title: t('auditReport.total'), key: 'total', width: 90, render: (_: unknown, r: { counts: Counts }) => r.counts.total },
    { title: t('audit.outcomeSuccess'), key: 'success', width: 90, render: (_: unknown, r: { counts: Counts }) => r.counts.success },
    { title: t('audit.outcomeFailure'), key: 'failure', width: 90, render: (_: unknown, r: { counts: Counts }) => r.counts.failure || '' },
    { title: t('audit.outcomeDenied'), key: 'denied', width: 90, render: (_: unknown, r: { counts: Counts }) => r.counts.denied || '' },
  ];
}

function EventsTable({ events, testId, withKind }: { events: (ReportEvent & { kind?: string })[]; testId: string; withKind?: boolean }) {
  const t = useT();
  const l = useAuditLabels();
  return (
    <Table<ReportEvent & { kind?: string }>
      rowKey="id"
      size="small"
      data-testid={testId}
      dataSource={events}
      pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: t('auditReport.noEvents') }}
      expandable={{
        rowExpandable: (e) => Object.keys(e.details ?? {}).length > 0,
        expandedRowRender: (e) => (
          <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(e.details, null, 2)}</pre>
        ),
      }}
      columns={[
        { title: t('audit.time'), dataIndex: 'occurredAt', width: 170, render: (v: string) => fmtDateTime(v) },
        ...(withKind ? [{ title: t('auditReport.kind'), dataIndex: 'kind', width: 110, render: (k: string) => <Tag>{l.kind(k)}</Tag> }] : []),
        { title: t('audit.actor'), dataIndex: 'actorUsername', width: 140, render: (v: string | null) => v ?? t('audit.anonymous') },
        { title: t('audit.action'), dataIndex: 'action', render: (a: string) => <ActionCell action={a} /> },
        { title: t('audit.target'), key: 'target', render: (_v, e) => (e.targetType ? `${e.targetType}${e.targetId ? ` · ${e.targetId}` : ''}` : '—') },
        { title: t('audit.outcome'), dataIndex: 'outcome', width: 80, render: (o: string) => <Tag color={OUTCOME_COLORS[o]}>{l.outcome(o)}</Tag> },
      ]}
    />
  );
}

function IntegrityView({ report }: { report: AuditReport }) {
  const t = useT();
  const i = report.integrity;
  const verdict =
    i.method === 'checkpoint' ? (
      <Tag data-testid="report-integrity" data-ok="">
        {t('auditReport.integrity.notRun')}
      </Tag>
    ) : i.ok ? (
      <Tag color="green" data-testid="report-integrity" data-ok="true">
        {t('auditReport.integrity.ok')}
      </Tag>
    ) : (
      <Tag color="red" data-testid="report-integrity" data-ok="false">
        {t('auditReport.integrity.broken')}
      </Tag>
    );
  return (
    <Descriptions size="small" bordered column={1}>
      <Descriptions.Item label={t('auditReport.integrity.result')}>{verdict}</Descriptions.Item>
      {i.method === 'verified' && (
        <>
          <Descriptions.Item label={t('auditReport.integrity.checked')}>
            {t('auditReport.integrity.checkedValue', { events: i.checkedEvents ?? 0, checkpoints: i.checkpoints ?? 0 })}
          </Descriptions.Item>
          {i.firstBroken && (
            <Descriptions.Item label={t('auditReport.integrity.firstBroken')}>
              {i.firstBroken.position ?? '—'}：{i.firstBroken.problem}
            </Descriptions.Item>
          )}
          {i.head && (
            <Descriptions.Item label={t('auditReport.integrity.head')}>
              <Typography.Text code copyable>{`${i.head.position} · ${i.head.hash}`}</Typography.Text>
            </Descriptions.Item>
          )}
        </>
      )}
      <Descriptions.Item label={t('auditReport.integrity.checkpoint')}>
        {i.latestCheckpoint ? (
          <Space orientation="vertical" size={0}>
            <span>
              {t('auditReport.integrity.checkpointValue', {
                position: i.latestCheckpoint.position,
                at: fmtDateTime(i.latestCheckpoint.signedAt),
                key: i.latestCheckpoint.keyVersion,
              })}
            </span>
            <Typography.Text code style={{ fontSize: 12 }}>
              {i.latestCheckpoint.headHash}
            </Typography.Text>
          </Space>
        ) : (
          t('auditReport.integrity.noCheckpoint')
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('auditReport.integrity.chaining')}>
        {t('auditReport.integrity.chainingValue', { events: i.eventsInPeriod, chained: i.chainedInPeriod, pending: i.pendingInPeriod })}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** The report's sections as tabs (the archive's printable page lays the same out for paper). */
export function ReportSections({ report }: { report: AuditReport }) {
  const t = useT();
  const l = useAuditLabels();
  const a = report.activity;
  return (
    <Tabs
      data-testid="report-sections"
      items={[
        {
          key: 'activity',
          label: <span data-testid="report-tab-activity">{t('auditReport.section.activity')}</span>,
          children: (
            <Table
              rowKey="group"
              size="small"
              data-testid="report-activity"
              dataSource={a.groups}
              pagination={false}
              locale={{ emptyText: t('auditReport.noEvents') }}
              expandable={{
                expandedRowRender: (g) => (
                  <Table
                    rowKey="action"
                    size="small"
                    dataSource={g.actions}
                    pagination={false}
                    columns={[{ title: t('audit.action'), dataIndex: 'action', render: (x: string) => <ActionCell action={x} /> }, ...countColumns(t)]}
                  />
                ),
              }}
              columns={[
                { title: t('auditReport.group'), dataIndex: 'group', render: (g: string) => <Typography.Text code>{g}</Typography.Text> },
                ...countColumns(t),
              ]}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0} />
                  <Table.Summary.Cell index={1}>
                    <strong>{t('auditReport.total')}</strong>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2}>{a.totals.total}</Table.Summary.Cell>
                  <Table.Summary.Cell index={3}>{a.totals.success}</Table.Summary.Cell>
                  <Table.Summary.Cell index={4}>{a.totals.failure}</Table.Summary.Cell>
                  <Table.Summary.Cell index={5}>{a.totals.denied}</Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
          ),
        },
        {
          key: 'privileged',
          label: <span data-testid="report-tab-privileged">{t('auditReport.section.privileged', { n: report.privileged.total })}</span>,
          children: (
            <>
              <Space wrap style={{ marginBottom: 8 }}>
                {report.privileged.byKind.map((k) => (
                  <Tag key={k.kind}>{`${l.kind(k.kind)} ${k.count}`}</Tag>
                ))}
              </Space>
              <EventsTable events={report.privileged.events} testId="report-privileged" withKind />
            </>
          ),
        },
        {
          key: 'vendor',
          label: <span data-testid="report-tab-vendor">{t('auditReport.section.vendor', { n: report.vendor.users.length })}</span>,
          children: (
            <>
              <Table
                rowKey="userId"
                size="small"
                data-testid="report-vendor"
                dataSource={report.vendor.users}
                pagination={false}
                locale={{ emptyText: t('auditReport.noVendors') }}
                expandable={{
                  rowExpandable: (u) => u.actions.length > 0,
                  expandedRowRender: (u) => (
                    <Table
                      rowKey="action"
                      size="small"
                      dataSource={u.actions}
                      pagination={false}
                      columns={[{ title: t('audit.action'), dataIndex: 'action', render: (x: string) => <ActionCell action={x} /> }, ...countColumns(t)]}
                    />
                  ),
                }}
                columns={[
                  { title: t('auditReport.username'), dataIndex: 'username' },
                  { title: t('auditReport.displayName'), dataIndex: 'displayName' },
                  { title: t('auditReport.vendorInstitutions'), dataIndex: 'institutions', render: (v: string[]) => v.join('、') },
                  ...countColumns(t),
                ]}
              />
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('auditReport.vendorEvents')}
              </Typography.Title>
              <EventsTable events={report.vendor.events} testId="report-vendor-events" />
            </>
          ),
        },
        {
          key: 'alerts',
          label: <span data-testid="report-tab-alerts">{t('auditReport.section.alerts', { n: report.alerts.raised })}</span>,
          children: (
            <>
              <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }} data-testid="report-alerts">
                <Descriptions.Item label={t('auditReport.alerts.raised')}>{report.alerts.raised}</Descriptions.Item>
                <Descriptions.Item label={t('auditReport.alerts.closed')}>{report.alerts.closed}</Descriptions.Item>
                <Descriptions.Item label={t('auditReport.alerts.overdue')}>{report.alerts.overdue}</Descriptions.Item>
                <Descriptions.Item label={t('auditReport.alerts.pending')}>{report.alerts.pending}</Descriptions.Item>
                <Descriptions.Item label={t('auditReport.alerts.meanHandling')}>{report.alerts.meanHandlingHours ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('auditReport.alerts.meanResponse')}>{report.alerts.meanResponseHours ?? '—'}</Descriptions.Item>
              </Descriptions>
              {report.alerts.raised === 0 ? (
                <Empty description={t('auditReport.noAlerts')} />
              ) : (
                <Table
                  rowKey="id"
                  size="small"
                  dataSource={report.alerts.items}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  columns={[
                    { title: t('auditReport.alerts.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
                    {
                      title: t('auditReport.alerts.severity'),
                      dataIndex: 'severity',
                      width: 80,
                      render: (s: string) => <Tag color={SEVERITY_COLORS[s]}>{l.severity(s)}</Tag>,
                    },
                    { title: t('auditReport.alerts.rule'), dataIndex: 'rule' },
                    { title: t('auditReport.alerts.summary'), dataIndex: 'summary' },
                    { title: t('auditReport.alerts.status'), dataIndex: 'status', width: 90, render: (s: string) => l.status(s) },
                    { title: t('auditReport.alerts.dueAt'), dataIndex: 'dueAt', width: 170, render: (v: string) => fmtDateTime(v) },
                    {
                      title: t('auditReport.alerts.overdue'),
                      dataIndex: 'overdue',
                      width: 80,
                      render: (v: boolean) => (v ? <Tag color="red">{t('common.yes')}</Tag> : t('common.no')),
                    },
                  ]}
                />
              )}
            </>
          ),
        },
        {
          key: 'integrity',
          label: <span data-testid="report-tab-integrity">{t('auditReport.section.integrity')}</span>,
          children: <IntegrityView report={report} />,
        },
      ]}
    />
  );
}

/** The headline figures of a report. */
export function ReportOverview({ report }: { report: AuditReport }) {
  const t = useT();
  const a = report.activity;
  return (
    <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 4 }} data-testid="report-overview" style={{ marginBottom: 16 }}>
      <Descriptions.Item label={t('auditReport.institution')}>{report.institution.name}</Descriptions.Item>
      <Descriptions.Item label={t('auditReport.scope')}>
        {report.scope.cityWide ? t('auditReport.scopeCity', { n: report.scope.institutions }) : t('auditReport.scopeSubtree', { n: report.scope.institutions })}
      </Descriptions.Item>
      <Descriptions.Item label={t('auditReport.period')}>
        <span data-testid="report-period">{`${report.period.firstDay} ~ ${report.period.lastDay}`}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('auditReport.generatedAt')}>{fmtDateTime(report.generatedAt)}</Descriptions.Item>
      <Descriptions.Item label={t('auditReport.events')}>
        <span data-testid="report-total" data-value={a.totals.total}>
          {a.totals.total}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('auditReport.failedDenied')}>{`${a.totals.failure} / ${a.totals.denied}`}</Descriptions.Item>
      <Descriptions.Item label={t('auditReport.actors')}>{a.actors}</Descriptions.Item>
      <Descriptions.Item label={t('auditReport.privilegedCount')}>{report.privileged.total}</Descriptions.Item>
    </Descriptions>
  );
}
