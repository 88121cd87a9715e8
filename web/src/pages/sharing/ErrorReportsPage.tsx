// 数据纠错 (LIF-9, DG-11): a data user reports an error in shared data (the resource, the record and field,
// what is wrong and the proposed value); the provider verifies within 15 working days and resolves it as
// corrected or not, with the reason. Reports from the public open-data portal arrive here too. The record
// key and the public reporter's contact are sealed and shown only to the provider.
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Descriptions, Drawer, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { serverPagination, useListFilters, usePagedQuery } from '../../components/paging.ts';
import { fmtDateTime, testId } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import { useCan } from '../../session.tsx';
import type {
  ErrorReport,
  ErrorReportCreate,
  ErrorReportOutcome,
  ErrorReportQuery,
  ErrorReportResolve,
  ErrorReportStatus,
  ShareGrant,
} from '../../sharingTypes.ts';
import type { Paged } from '../../types.ts';
import { ERROR_REPORT_OUTCOME, ERROR_REPORT_STATUS } from './labels.ts';
import { Due, RoleTabs, StatusTag } from './parts.tsx';

type Filters = ErrorReportQuery & { page: number; pageSize: number };
type Role = NonNullable<ErrorReportQuery['role']>;

const REPORTS_KEY = ['error-reports'] as const;

/**
 * The report form. The resource is one the institution holds a grant for (the data it actually uses), or
 * a fixed one when opened from elsewhere.
 */
function ReportModal({ onClose }: { onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<ErrorReportCreate>();
  const resourceId = Form.useWatch('resourceId', form);
  const grants = useQuery({
    queryKey: ['share-grants', 'recipient-for-report'],
    queryFn: () => api.get<Paged<ShareGrant>>('/api/share-grants', { role: 'recipient', pageSize: 200 }),
  });
  const resources = new Map<string, { id: string; name: string; provider: string; fields: string[] }>();
  for (const g of grants.data?.items ?? []) {
    const r = resources.get(g.resource.id);
    if (r) r.fields = [...new Set([...r.fields, ...g.fields])];
    else resources.set(g.resource.id, { id: g.resource.id, name: g.resource.name, provider: g.provider.name, fields: g.fields });
  }
  const create = useMutation({
    mutationFn: (v: ErrorReportCreate) => api.post<ErrorReport>('/api/error-reports', v),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: REPORTS_KEY });
      message.success(t('sharing.report.created', { number: r.number, due: r.dueDate }));
      onClose();
    },
  });
  const trimmed = (v: ErrorReportCreate): ErrorReportCreate => ({
    resourceId: v.resourceId,
    description: v.description.trim(),
    ...(v.recordKey?.trim() ? { recordKey: v.recordKey.trim() } : {}),
    ...(v.field ? { field: v.field } : {}),
    ...(v.proposedValue?.trim() ? { proposedValue: v.proposedValue.trim() } : {}),
  });
  return (
    <Modal
      open
      width={640}
      title={t('sharing.report.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: create.isPending, ...testId('report-submit') }}
      destroyOnHidden
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('sharing.report.intro')} />
      <ErrorAlert error={create.error ?? grants.error} testId="report-error" />
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(trimmed(v))}>
        <Form.Item name="resourceId" label={t('sharing.col.resource')} rules={[{ required: true, message: t('sharing.apply.required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={grants.isPending}
            options={[...resources.values()].map((r) => ({ value: r.id, label: `${r.name}（${r.provider}）` }))}
            notFoundContent={t('sharing.report.noGrants')}
            data-testid="report-resource"
          />
        </Form.Item>
        <Space size="large" wrap style={{ width: '100%' }}>
          <Form.Item name="recordKey" label={t('sharing.report.recordKey')} extra={t('sharing.report.recordKeyExtra')}>
            <Input maxLength={500} style={{ width: 260 }} data-testid="report-record-key" />
          </Form.Item>
          <Form.Item name="field" label={t('sharing.report.field')}>
            <Select
              allowClear
              style={{ width: 200 }}
              options={(resources.get(resourceId)?.fields ?? []).map((f) => ({ value: f, label: f }))}
              data-testid="report-field"
            />
          </Form.Item>
        </Space>
        <Form.Item
          name="description"
          label={t('sharing.report.description')}
          rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}
        >
          <Input.TextArea rows={3} maxLength={4000} data-testid="report-description" />
        </Form.Item>
        <Form.Item name="proposedValue" label={t('sharing.report.proposedValue')}>
          <Input maxLength={2000} data-testid="report-proposed" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReportDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useT();
  const { pick } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<ErrorReportResolve>();
  const q = useQuery({ queryKey: ['error-report', id], queryFn: () => api.get<ErrorReport>(`/api/error-reports/${id}`) });
  const resolve = useMutation({
    mutationFn: (v: ErrorReportResolve) => api.post<ErrorReport>(`/api/error-reports/${id}/resolve`, { outcome: v.outcome, resolution: v.resolution.trim() }),
    onSuccess: (r) => {
      qc.setQueryData(['error-report', id], r);
      void qc.invalidateQueries({ queryKey: REPORTS_KEY });
      message.success(t('sharing.report.resolved'));
    },
  });
  const r = q.data;
  return (
    <Drawer
      open
      size={760}
      title={r ? t('sharing.report.drawerTitle', { number: r.number }) : t('nav.sharingErrorReports')}
      onClose={onClose}
      destroyOnHidden
      data-testid="report-drawer"
    >
      <ErrorAlert error={q.error} />
      {r && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label={t('common.status')}>
              <StatusTag table={ERROR_REPORT_STATUS} value={r.status} testId="report-status" />
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.col.due')}>
              <Due date={r.dueDate} overdue={r.overdue} />
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.col.resource')}>{r.resource.name}</Descriptions.Item>
            <Descriptions.Item label={t('sharing.col.provider')}>{r.provider.name}</Descriptions.Item>
            <Descriptions.Item label={t('sharing.report.reporter')}>
              {r.source === 'public' ? <Tag>{t('sharing.report.public')}</Tag> : `${r.reporterInstitution?.name ?? ''} · ${r.reporter?.displayName ?? ''}`}
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.report.receivedAt')}>{fmtDateTime(r.receivedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('sharing.report.recordKey')}>
              {r.recordKey ?? (r.hasRecordKey ? <Typography.Text type="secondary">{t('sharing.report.sealed')}</Typography.Text> : '—')}
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.report.field')}>{r.field ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('sharing.report.description')} span={2}>
              {r.description}
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.report.proposedValue')} span={2}>
              {r.proposedValue ?? '—'}
            </Descriptions.Item>
            {(r.contact || r.hasContact) && (
              <Descriptions.Item label={t('sharing.report.contact')} span={2}>
                {r.contact ?? <Typography.Text type="secondary">{t('sharing.report.sealed')}</Typography.Text>}
              </Descriptions.Item>
            )}
            {r.resolution && (
              <Descriptions.Item label={t('sharing.report.resolution')} span={2}>
                <span data-testid="report-resolution">{r.resolution}</span>
                {r.resolvedBy && (
                  <Typography.Text type="secondary">
                    {' '}
                    · {r.resolvedBy.displayName} · {fmtDateTime(r.resolvedAt)}
                  </Typography.Text>
                )}
              </Descriptions.Item>
            )}
          </Descriptions>
          {r.can.resolve && r.status === 'open' && (
            <Card size="small" title={t('sharing.report.resolveTitle')}>
              <ErrorAlert error={resolve.error} testId="report-resolve-error" />
              <Form form={form} layout="vertical" initialValues={{ outcome: 'corrected' }} onFinish={(v) => resolve.mutate(v)}>
                <Form.Item name="outcome" label={t('sharing.report.outcome')}>
                  <Radio.Group
                    options={(Object.keys(ERROR_REPORT_OUTCOME) as ErrorReportOutcome[]).map((o) => ({ value: o, label: pick(ERROR_REPORT_OUTCOME[o]) }))}
                    data-testid="report-outcome"
                  />
                </Form.Item>
                <Form.Item
                  name="resolution"
                  label={t('sharing.report.resolution')}
                  rules={[{ required: true, whitespace: true, message: t('sharing.report.resolutionRequired') }]}
                >
                  <Input.TextArea rows={3} maxLength={4000} data-testid="report-resolution-input" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={resolve.isPending} data-testid="report-resolve">
                  {t('sharing.report.resolve')}
                </Button>
              </Form>
            </Card>
          )}
        </Space>
      )}
    </Drawer>
  );
}

export default function ErrorReportsPage() {
  const t = useT();
  const { pick } = useI18n();
  const can = useCan();
  const navigate = useNavigate();
  const { id } = useParams();
  const [reporting, setReporting] = useState(false);
  const initialRole: Role | undefined = can('sharing.provide') ? 'provider' : can('sharing.apply') ? 'reporter' : undefined;
  const { f, setF, set } = useListFilters<Filters>({ page: 1, pageSize: 20, role: initialRole });
  const query = usePagedQuery<ErrorReport>(REPORTS_KEY, '/api/error-reports', f);
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.sharingErrorReports')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('sharing.reports.intro')}</Typography.Paragraph>
      <Card size="small">
        <RoleTabs<Role>
          sides={[
            { key: 'provider', label: t('sharing.reports.tab.provider'), shown: can('sharing.provide') },
            { key: 'reporter', label: t('sharing.reports.tab.reporter'), shown: can('sharing.apply') },
          ]}
          value={f.role}
          onChange={(role) => set({ role })}
          testIdPrefix="reports"
          extra={
            can('sharing.apply') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setReporting(true)} data-testid="report-new">
                {t('sharing.report.title')}
              </Button>
            )
          }
        />
        <Space wrap style={{ marginBottom: 16 }}>
          <Select<ErrorReportStatus>
            allowClear
            placeholder={t('common.status')}
            style={{ width: 140 }}
            value={f.status}
            onChange={(v) => set({ status: v })}
            options={(Object.keys(ERROR_REPORT_STATUS) as ErrorReportStatus[]).map((s) => ({ value: s, label: pick(ERROR_REPORT_STATUS[s]) }))}
            data-testid="reports-filter-status"
          />
          <Select<'user' | 'public'>
            allowClear
            placeholder={t('sharing.report.source')}
            style={{ width: 140 }}
            value={f.source}
            onChange={(v) => set({ source: v })}
            options={[
              { value: 'user', label: t('sharing.report.fromUser') },
              { value: 'public', label: t('sharing.report.public') },
            ]}
          />
          <Checkbox checked={f.overdue === true} onChange={(e) => set({ overdue: e.target.checked ? true : undefined })} data-testid="reports-filter-overdue">
            {t('sharing.filter.overdue')}
          </Checkbox>
          <Button onClick={() => setF({ page: 1, pageSize: f.pageSize, role: f.role })}>{t('common.reset')}</Button>
        </Space>
        <ErrorAlert error={query.error} />
        <Table<ErrorReport>
          rowKey="id"
          size="middle"
          data-testid="reports-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: t('sharing.reports.empty') }}
          pagination={serverPagination(f, setF, query.data?.total, t)}
          scroll={{ x: 1100 }}
          columns={[
            {
              title: t('sharing.col.number'),
              dataIndex: 'number',
              width: 150,
              render: (v: string, r) => (
                <Typography.Link onClick={() => navigate(`/sharing/error-reports/${r.id}`)} data-testid="report-link">
                  {v}
                </Typography.Link>
              ),
            },
            { title: t('sharing.col.resource'), key: 'resource', render: (_v, r) => r.resource.name },
            { title: t('sharing.col.provider'), key: 'provider', width: 140, render: (_v, r) => r.provider.name },
            {
              title: t('sharing.report.reporter'),
              key: 'reporter',
              width: 160,
              render: (_v, r) => (r.source === 'public' ? <Tag>{t('sharing.report.public')}</Tag> : (r.reporterInstitution?.name ?? '—')),
            },
            { title: t('sharing.report.description'), dataIndex: 'description', ellipsis: true },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 100,
              render: (v: ErrorReportStatus) => <StatusTag table={ERROR_REPORT_STATUS} value={v} testId="report-row-status" />,
            },
            { title: t('sharing.col.due'), key: 'due', width: 150, render: (_v, r) => <Due date={r.dueDate} overdue={r.overdue} /> },
            { title: t('sharing.report.receivedAt'), dataIndex: 'receivedAt', width: 170, render: (v: string) => fmtDateTime(v) },
          ]}
        />
      </Card>
      {id && <ReportDrawer id={id} onClose={() => navigate('/sharing/error-reports')} />}
      {reporting && <ReportModal onClose={() => setReporting(false)} />}
    </div>
  );
}
