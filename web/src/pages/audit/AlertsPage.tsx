// 告警处置 (AUD-3, PRT-10, LIF-6): the alert queue with its filters and working-day deadlines, an alert's
// drawer with the triggering events and its handling (acknowledge, close with a resolution), and the rule
// settings with a dry run over a period. Times in Beijing time.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { type ParamSpec, RULE_IDS, RULES, SEVERITIES, SEVERITY_LABELS } from '../../../../src/engines/audit-rules/index.ts';
import {
  ALERT_STATUS_LABELS,
  ALERT_STATUSES,
  type AlertQuery,
  type AlertRule,
  type AlertRuleTestResult,
  type AuditAlert,
  type AuditAlertDetail,
} from '../../../../src/modules/audit/alerts.schemas.ts';
import { AUDIT_ACTION_LABELS } from '../../../../src/modules/audit/audit.actions.ts';
import { LEVEL_INFO, LEVELS } from '../../../../src/modules/catalog/levels.ts';
import { ROLE_LABELS, type Role } from '../../../../src/modules/org/roles.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { serverPagination } from '../../components/paging.ts';
import { beijingDayBoundary, fmtDate, fmtDateTime, testId } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import { useCan } from '../../session.tsx';
import type { AuditEvent, Paged } from '../../types.ts';

type Filters = AlertQuery & { page: number; pageSize: number };
type Severity = AuditAlert['severity'];
type Status = AuditAlert['status'];

const SEVERITY_COLORS: Record<Severity, string> = { high: 'red', medium: 'orange', low: 'blue' };
const STATUS_COLORS: Record<Status, string> = { open: 'red', acknowledged: 'gold', closed: 'default' };
const OUTCOME_COLORS: Record<string, string> = { success: 'green', failure: 'red', denied: 'orange' };
const ALERTS_KEY = ['audit-alerts'] as const;

function SeverityTag({ severity }: { severity: Severity }) {
  const { pick } = useI18n();
  return <Tag color={SEVERITY_COLORS[severity]}>{pick(SEVERITY_LABELS[severity])}</Tag>;
}

function StatusTag({ status, testId }: { status: Status; testId?: string }) {
  const { pick } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={testId}>
      {pick(ALERT_STATUS_LABELS[status])}
    </Tag>
  );
}

/** The deadline as a Beijing date, red with a tag once passed (and the alert still open). */
function Due({ alert }: { alert: AuditAlert }) {
  const t = useT();
  if (!alert.overdue) return <span>{fmtDate(alert.dueAt)}</span>;
  return (
    <Space size={4} data-testid="alert-overdue">
      <Typography.Text type="danger">{fmtDate(alert.dueAt)}</Typography.Text>
      <Tag color="red">{t('alerts.overdue')}</Tag>
    </Space>
  );
}

function AlertQueue({ onOpen }: { onOpen: (id: string) => void }) {
  const t = useT();
  const { pick } = useI18n();
  const [f, setF] = useState<Filters>({ page: 1, pageSize: 20 });
  const set = (patch: Partial<Filters>) => setF((old) => ({ ...old, ...patch, page: 1 }));
  const query = useQuery({
    queryKey: [...ALERTS_KEY, f],
    queryFn: () => api.get<Paged<AuditAlert>>('/api/audit/alerts', { ...f }),
    placeholderData: keepPreviousData,
  });
  return (
    <div>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<Status>
          allowClear
          placeholder={t('alerts.filter.status')}
          style={{ width: 130 }}
          value={f.status}
          onChange={(v) => set({ status: v })}
          options={ALERT_STATUSES.map((s) => ({ value: s, label: pick(ALERT_STATUS_LABELS[s]) }))}
          data-testid="alerts-filter-status"
        />
        <Select<Severity>
          allowClear
          placeholder={t('alerts.filter.severity')}
          style={{ width: 110 }}
          value={f.severity}
          onChange={(v) => set({ severity: v })}
          options={SEVERITIES.map((s) => ({ value: s, label: pick(SEVERITY_LABELS[s]) }))}
          data-testid="alerts-filter-severity"
        />
        <Select<AuditAlert['rule']>
          allowClear
          placeholder={t('alerts.filter.rule')}
          style={{ width: 220 }}
          value={f.rule}
          onChange={(v) => set({ rule: v })}
          options={RULE_IDS.map((r) => ({ value: r, label: pick(RULES[r].label) }))}
          data-testid="alerts-filter-rule"
        />
        <Checkbox checked={f.overdue === true} onChange={(e) => set({ overdue: e.target.checked ? true : undefined })} data-testid="alerts-filter-overdue">
          {t('alerts.filter.overdue')}
        </Checkbox>
        <Checkbox checked={f.owner === 'me'} onChange={(e) => set({ owner: e.target.checked ? 'me' : undefined })} data-testid="alerts-filter-mine">
          {t('alerts.filter.mine')}
        </Checkbox>
        <Button onClick={() => setF({ page: 1, pageSize: f.pageSize })}>{t('common.reset')}</Button>
      </Space>
      <ErrorAlert error={query.error} />
      <Table<AuditAlert>
        rowKey="id"
        size="middle"
        data-testid="alerts-table"
        loading={query.isFetching}
        dataSource={query.data?.items ?? []}
        locale={{ emptyText: t('alerts.empty') }}
        pagination={serverPagination(f, setF, query.data?.total, t)}
        onRow={(a) => ({ 'data-alert-id': a.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('alerts.col.created'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
          { title: t('alerts.col.severity'), dataIndex: 'severity', width: 80, render: (v: Severity) => <SeverityTag severity={v} /> },
          { title: t('alerts.col.rule'), dataIndex: 'rule', width: 170, render: (v: AuditAlert['rule']) => pick(RULES[v]?.label, v) },
          {
            title: t('alerts.col.summary'),
            key: 'summary',
            render: (_v, a) => (
              <Typography.Link onClick={() => onOpen(a.id)} data-testid="alert-view">
                {pick(a.summary)}
              </Typography.Link>
            ),
          },
          { title: t('alerts.col.institution'), key: 'inst', width: 170, render: (_v, a) => a.institution?.name ?? t('alerts.platform') },
          {
            title: t('alerts.col.owner'),
            key: 'owner',
            width: 140,
            render: (_v, a) => a.owner?.displayName ?? <Typography.Text type="secondary">{t('alerts.noOwner')}</Typography.Text>,
          },
          { title: t('alerts.col.status'), dataIndex: 'status', width: 90, render: (v: Status) => <StatusTag status={v} testId="alert-row-status" /> },
          { title: t('alerts.col.due'), key: 'due', width: 150, render: (_v, a) => <Due alert={a} /> },
        ]}
      />
    </div>
  );
}

function EventsTable({ events }: { events: AuditEvent[] }) {
  const t = useT();
  const { pick } = useI18n();
  const outcome = (o: string) =>
    o === 'success' ? t('audit.outcomeSuccess') : o === 'failure' ? t('audit.outcomeFailure') : o === 'denied' ? t('audit.outcomeDenied') : o;
  return (
    <Table<AuditEvent>
      rowKey="id"
      size="small"
      data-testid="alert-events"
      dataSource={events}
      pagination={events.length > 10 ? { pageSize: 10 } : false}
      expandable={{
        rowExpandable: (e) => Object.keys(e.details ?? {}).length > 0,
        expandedRowRender: (e) => (
          <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(e.details, null, 2)}</pre>
        ),
      }}
      columns={[
        { title: t('audit.time'), dataIndex: 'occurredAt', width: 170, render: (v: string) => fmtDateTime(v) },
        { title: t('audit.actor'), dataIndex: 'actorUsername', render: (v: string | null) => v ?? t('audit.anonymous') },
        {
          title: t('audit.action'),
          dataIndex: 'action',
          render: (v: string) => (AUDIT_ACTION_LABELS[v] ? pick(AUDIT_ACTION_LABELS[v]) : <Typography.Text code>{v}</Typography.Text>),
        },
        { title: t('audit.target'), key: 'target', render: (_v, e) => (e.targetType ? `${e.targetType}${e.targetId ? ` · ${e.targetId}` : ''}` : '—') },
        { title: t('audit.outcome'), dataIndex: 'outcome', width: 80, render: (o: string) => <Tag color={OUTCOME_COLORS[o]}>{outcome(o)}</Tag> },
        { title: t('audit.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}

function AlertDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useT();
  const { pick } = useI18n();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [closing, setClosing] = useState(false);
  const [form] = Form.useForm<{ resolution: string }>();
  const detail = useQuery({ queryKey: ['audit-alert', id], queryFn: () => api.get<AuditAlertDetail>(`/api/audit/alerts/${id}`) });
  const refresh = (a: AuditAlert) => {
    qc.setQueryData(['audit-alert', id], (old: AuditAlertDetail | undefined) => (old ? { ...old, ...a } : old));
    void qc.invalidateQueries({ queryKey: ALERTS_KEY });
  };
  const ack = useMutation({
    mutationFn: () => api.post<AuditAlert>(`/api/audit/alerts/${id}/acknowledge`),
    onSuccess: (a) => {
      refresh(a);
      message.success(t('alerts.acked'));
    },
  });
  const close = useMutation({
    mutationFn: (resolution: string) => api.post<AuditAlert>(`/api/audit/alerts/${id}/close`, { resolution }),
    onSuccess: (a) => {
      refresh(a);
      setClosing(false);
      form.resetFields();
      message.success(t('alerts.closed'));
    },
  });
  const a = detail.data;
  const handler = can('alert.handle');
  return (
    <Drawer open size={980} title={t('alerts.drawer.title')} onClose={onClose} destroyOnHidden data-testid="alert-drawer">
      <ErrorAlert error={detail.error} />
      {detail.isPending && <Spin />}
      {a && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap>
            <SeverityTag severity={a.severity} />
            <StatusTag status={a.status} testId="alert-status" />
            <Typography.Text strong data-testid="alert-summary">
              {pick(a.summary)}
            </Typography.Text>
          </Space>
          {handler && a.status !== 'closed' && (
            <Space>
              {a.status === 'open' && (
                <Button type="primary" loading={ack.isPending} onClick={() => ack.mutate()} data-testid="alert-ack">
                  {t('alerts.ack')}
                </Button>
              )}
              <Button onClick={() => setClosing(true)} data-testid="alert-close">
                {t('alerts.close')}
              </Button>
            </Space>
          )}
          {!handler && <Alert type="info" showIcon title={t('alerts.readOnly')} />}
          <ErrorAlert error={ack.error} testId="alert-ack-error" />
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label={t('alerts.col.rule')}>{pick(RULES[a.rule]?.label, a.rule)}</Descriptions.Item>
            <Descriptions.Item label={t('alerts.col.institution')}>{a.institution?.name ?? t('alerts.platform')}</Descriptions.Item>
            <Descriptions.Item label={t('alerts.field.subject')}>{a.subjectUsername ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('alerts.col.owner')}>{a.owner?.displayName ?? t('alerts.noOwner')}</Descriptions.Item>
            <Descriptions.Item label={t('alerts.col.created')}>{fmtDateTime(a.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('alerts.col.due')}>
              <Due alert={a} />
            </Descriptions.Item>
            <Descriptions.Item label={t('alerts.field.events')} span={2}>
              {fmtDateTime(a.firstEventAt)} — {fmtDateTime(a.lastEventAt)}
            </Descriptions.Item>
            {a.acknowledgedBy && (
              <Descriptions.Item label={t('alerts.field.acknowledged')} span={2}>
                {t('alerts.by', { by: a.acknowledgedBy.displayName, at: fmtDateTime(a.acknowledgedAt) })}
              </Descriptions.Item>
            )}
            {a.closedBy && (
              <Descriptions.Item label={t('alerts.field.closed')} span={2}>
                {t('alerts.by', { by: a.closedBy.displayName, at: fmtDateTime(a.closedAt) })}
              </Descriptions.Item>
            )}
            {a.resolution && (
              <Descriptions.Item label={t('alerts.field.resolution')} span={2}>
                <span data-testid="alert-resolution">{a.resolution}</span>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('alerts.field.details')} span={2}>
              <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(a.details, null, 2)}</pre>
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('alerts.events')}
          </Typography.Title>
          <EventsTable events={a.events} />
          {a.hiddenEvents > 0 && <Typography.Text type="secondary">{t('alerts.hiddenEvents', { n: a.hiddenEvents })}</Typography.Text>}
        </Space>
      )}
      <Modal
        open={closing}
        title={t('alerts.closeTitle')}
        onCancel={() => setClosing(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: close.isPending, ...testId('alert-close-ok') }}
        destroyOnHidden
      >
        <ErrorAlert error={close.error} testId="alert-close-error" />
        <Form form={form} layout="vertical" onFinish={(v) => close.mutate(v.resolution.trim())}>
          <Form.Item name="resolution" label={t('alerts.resolution')} rules={[{ required: true, whitespace: true, message: t('alerts.resolutionRequired') }]}>
            <Input.TextArea rows={4} maxLength={2000} placeholder={t('alerts.resolutionPlaceholder')} data-testid="alert-close-resolution" />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}

function ParamField({ spec }: { spec: ParamSpec }) {
  const t = useT();
  const { pick } = useI18n();
  const name = ['params', spec.name];
  const label = pick(spec.label);
  const extra = spec.help ? pick(spec.help) : undefined;
  switch (spec.type) {
    case 'integer':
    case 'number':
      return (
        <Form.Item name={name} label={label} extra={extra}>
          <InputNumber
            min={spec.min}
            max={spec.max}
            precision={spec.type === 'integer' ? 0 : undefined}
            suffix={spec.unit ? pick(spec.unit) : undefined}
            style={{ width: 180 }}
            data-testid={`param-${spec.name}`}
          />
        </Form.Item>
      );
    case 'boolean':
      return (
        <Form.Item name={name} label={label} extra={extra} valuePropName="checked">
          <Switch data-testid={`param-${spec.name}`} />
        </Form.Item>
      );
    case 'time':
      return (
        <Form.Item name={name} label={label} extra={extra}>
          <Input style={{ width: 120 }} placeholder={t('alerts.rules.timePlaceholder')} data-testid={`param-${spec.name}`} />
        </Form.Item>
      );
    case 'level':
      return (
        <Form.Item name={name} label={label} extra={extra}>
          <Select style={{ width: 220 }} options={LEVELS.map((l) => ({ value: l, label: pick(LEVEL_INFO[l]) }))} data-testid={`param-${spec.name}`} />
        </Form.Item>
      );
    case 'actions':
      return (
        <Form.Item name={name} label={label} extra={extra}>
          <Select
            mode="tags"
            placeholder={t('alerts.rules.actionsPlaceholder')}
            options={Object.entries(AUDIT_ACTION_LABELS).map(([code, l]) => ({ value: code, label: `${pick(l)}（${code}）` }))}
            data-testid={`param-${spec.name}`}
          />
        </Form.Item>
      );
    case 'choices':
      return (
        <Form.Item name={name} label={label} extra={extra}>
          <Select
            mode="multiple"
            options={spec.options.map((o) => ({ value: o, label: pick(ROLE_LABELS[o as Role], o) }))}
            data-testid={`param-${spec.name}`}
          />
        </Form.Item>
      );
  }
}

interface RuleForm {
  enabled: boolean;
  severity: Severity;
  params: Record<string, unknown>;
}

function RuleCard({ rule }: { rule: AlertRule }) {
  const t = useT();
  const { pick } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleForm>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const def = RULES[rule.rule];
  const save = useMutation({
    mutationFn: (v: RuleForm) => api.put<AlertRule>(`/api/audit/alert-rules/${rule.rule}`, v),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['audit-alert-rules'] });
      message.success(t('alerts.rules.saved'));
    },
  });
  const test = useMutation({
    mutationFn: () => {
      const v = form.getFieldsValue(true) as RuleForm;
      const [a, b] = range ?? [null, null];
      if (!a || !b) throw new Error(t('alerts.rules.rangeRequired'));
      return api.post<AlertRuleTestResult>(`/api/audit/alert-rules/${rule.rule}/test`, {
        from: beijingDayBoundary(a.format('YYYY-MM-DD'), false),
        to: beijingDayBoundary(b.add(1, 'day').format('YYYY-MM-DD'), false),
        params: v.params,
        severity: v.severity,
      });
    },
  });
  const configure = rule.editable;
  const result = test.data;
  return (
    <Card
      size="small"
      data-testid={`rule-${rule.rule}`}
      title={
        <Space wrap>
          <span>{pick(rule.label)}</span>
          <Typography.Text code type="secondary">
            {rule.rule}
          </Typography.Text>
          {rule.customized ? <Tag color="blue">{t('alerts.rules.customized')}</Tag> : <Tag>{t('alerts.rules.defaults')}</Tag>}
          {!rule.enabled && <Tag>{t('alerts.rules.off')}</Tag>}
        </Space>
      }
      extra={
        rule.updatedBy ? (
          <Typography.Text type="secondary">{t('alerts.rules.updated', { by: rule.updatedBy.displayName, at: fmtDateTime(rule.updatedAt) })}</Typography.Text>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{pick(rule.description)}</Typography.Paragraph>
      <Form<RuleForm>
        form={form}
        layout="vertical"
        initialValues={{ enabled: rule.enabled, severity: rule.severity, params: rule.params }}
        onFinish={(v) => save.mutate({ enabled: v.enabled, severity: v.severity, params: { ...rule.params, ...v.params } })}
      >
        <Space size="large" wrap align="start">
          <Form.Item name="enabled" label={t('alerts.rules.enabled')} valuePropName="checked">
            <Switch data-testid={`rule-enabled-${rule.rule}`} />
          </Form.Item>
          <Form.Item name="severity" label={t('alerts.rules.severity')}>
            <Select
              style={{ width: 120 }}
              options={SEVERITIES.map((s) => ({ value: s, label: pick(SEVERITY_LABELS[s]) }))}
              data-testid={`rule-severity-${rule.rule}`}
            />
          </Form.Item>
          {def.params
            .filter((p) => p.type !== 'actions' && p.type !== 'choices')
            .map((p) => (
              <ParamField key={p.name} spec={p} />
            ))}
        </Space>
        {def.params
          .filter((p) => p.type === 'actions' || p.type === 'choices')
          .map((p) => (
            <ParamField key={p.name} spec={p} />
          ))}
        <ErrorAlert error={save.error} testId={`rule-save-error-${rule.rule}`} />
        <Space wrap>
          {configure && (
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid={`rule-save-${rule.rule}`}>
              {t('alerts.rules.save')}
            </Button>
          )}
          <span data-testid={`rule-range-${rule.rule}`}>
            <DatePicker.RangePicker value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} />
          </span>
          <Button onClick={() => test.mutate()} loading={test.isPending} data-testid={`rule-test-${rule.rule}`}>
            {t('alerts.rules.test')}
          </Button>
        </Space>
      </Form>
      <ErrorAlert error={test.error} testId={`rule-test-error-${rule.rule}`} style={{ marginTop: 12 }} />
      {result && (
        <div style={{ marginTop: 12 }} data-testid={`rule-test-result-${rule.rule}`}>
          <Space wrap style={{ marginBottom: 8 }}>
            <Typography.Text strong>{t('alerts.rules.testResult', { n: result.eventsScanned, k: result.alerts.length })}</Typography.Text>
            {result.hidden > 0 && <Typography.Text type="secondary">{t('alerts.rules.hidden', { n: result.hidden })}</Typography.Text>}
            {result.truncated && <Typography.Text type="warning">{t('alerts.rules.truncated')}</Typography.Text>}
          </Space>
          <Table
            rowKey="dedupeKey"
            size="small"
            dataSource={result.alerts}
            pagination={result.alerts.length > 10 ? { pageSize: 10 } : false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alerts.empty')} /> }}
            columns={[
              { title: t('alerts.field.events'), dataIndex: 'lastEventAt', width: 170, render: (v: string) => fmtDateTime(v) },
              { title: t('alerts.col.severity'), dataIndex: 'severity', width: 80, render: (v: Severity) => <SeverityTag severity={v} /> },
              { title: t('alerts.col.summary'), key: 'summary', render: (_v, x) => pick(x.summary) },
              { title: t('alerts.col.institution'), key: 'inst', width: 170, render: (_v, x) => x.institution?.name ?? t('alerts.platform') },
              {
                title: t('alerts.col.status'),
                dataIndex: 'alreadyRaised',
                width: 90,
                render: (v: boolean) => (v ? <Tag>{t('alerts.rules.alreadyRaised')}</Tag> : <Tag color="orange">{t('alerts.rules.wouldRaise')}</Tag>),
              },
            ]}
          />
        </div>
      )}
    </Card>
  );
}

function RulesTab() {
  const t = useT();
  const rules = useQuery({ queryKey: ['audit-alert-rules'], queryFn: () => api.get<AlertRule[]>('/api/audit/alert-rules') });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('alerts.rules.intro')}
      </Typography.Paragraph>
      {rules.data && !rules.data[0]?.editable && <Alert type="info" showIcon title={t('alerts.rules.readOnly')} />}
      <ErrorAlert error={rules.error} />
      {rules.isPending && <Spin />}
      {rules.data?.map((r) => (
        <RuleCard key={`${r.rule}:${r.updatedAt ?? ''}`} rule={r} />
      ))}
    </Space>
  );
}

export default function AlertsPage() {
  const t = useT();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.alerts')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('alerts.intro')}</Typography.Paragraph>
      <Card size="small">
        <Tabs
          items={[
            { key: 'queue', label: <span data-testid="alerts-tab-queue">{t('alerts.tab.queue')}</span>, children: <AlertQueue onOpen={setOpen} /> },
            { key: 'rules', label: <span data-testid="alerts-tab-rules">{t('alerts.tab.rules')}</span>, children: <RulesTab /> },
          ]}
        />
      </Card>
      {open && <AlertDrawer id={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
