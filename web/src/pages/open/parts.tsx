// Pieces of the public portal: the licence tag, the error-report form (DG-11: anyone may report an error in
// open data and gets a tracking code) and the tracking-code lookup.
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fmtDate, fmtDateTime } from '../../format.ts';
import { type MessageKey, useI18n, useT } from '../../i18n.tsx';
import type { ChangeKind, PublicReportCreate, PublicReportReceipt, PublicReportStatus } from '../../openDataTypes.ts';
import { publicGet, publicPost } from './PublicLayout.tsx';

export const CHANGE_LABEL: Record<ChangeKind, MessageKey> = {
  published: 'openPortal.change.published',
  refreshed: 'openPortal.change.refreshed',
  withdrawn: 'openPortal.change.withdrawn',
};

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function LicenceTag({ licence }: { licence: string }) {
  return (
    <Tag color="blue" data-testid="licence-tag">
      {licence}
    </Tag>
  );
}

const REPORT_STATUS_COLORS: Record<PublicReportStatus['status'], string> = { open: 'gold', corrected: 'green', rejected: 'default' };

/** Shows where an error report stands: received, corrected or rejected with the provider's reason. */
export function ReportStatusView({ report }: { report: PublicReportStatus }) {
  const t = useT();
  const { pick } = useI18n();
  return (
    <Descriptions size="small" column={1} bordered data-testid="tracking-result">
      <Descriptions.Item label={t('openPortal.report.trackingCode')}>
        <Typography.Text code>{report.trackingCode}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('openPortal.report.release')}>{report.resourceName}</Descriptions.Item>
      <Descriptions.Item label={t('common.status')}>
        <Tag color={REPORT_STATUS_COLORS[report.status]} data-testid="tracking-status">
          {pick(report.statusLabel, report.status)}
        </Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('openPortal.report.receivedAt')}>{fmtDateTime(report.receivedAt)}</Descriptions.Item>
      <Descriptions.Item label={t('openPortal.report.dueDate')}>{fmtDate(report.dueDate)}</Descriptions.Item>
      {report.resolvedAt && <Descriptions.Item label={t('openPortal.report.resolvedAt')}>{fmtDateTime(report.resolvedAt)}</Descriptions.Item>}
      {report.resolution && <Descriptions.Item label={t('openPortal.report.resolution')}>{report.resolution}</Descriptions.Item>}
    </Descriptions>
  );
}

export function TrackingLookup() {
  const t = useT();
  const [code, setCode] = useState('');
  const lookup = useMutation({
    mutationFn: (c: string) => publicGet<PublicReportStatus>(`/api/public/error-reports/${encodeURIComponent(c)}`),
  });
  return (
    <Card title={t('openPortal.tracking.title')} data-testid="tracking-card">
      <Typography.Paragraph type="secondary">{t('openPortal.tracking.intro')}</Typography.Paragraph>
      <Input.Search
        placeholder={t('openPortal.tracking.placeholder')}
        enterButton={t('openPortal.tracking.lookup')}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        onSearch={(v) => v.trim() && lookup.mutate(v.trim().toUpperCase())}
        loading={lookup.isPending}
        data-testid="tracking-input"
        style={{ marginBottom: 12 }}
      />
      <ErrorAlert error={lookup.error} />
      {lookup.data && <ReportStatusView report={lookup.data} />}
    </Card>
  );
}

interface ReportForm {
  field?: string;
  recordKey?: string;
  description: string;
  contact?: string;
}

/** The public error report on one release: field, record, what is wrong, an optional contact. */
export function ErrorReportForm({ releaseId, fields }: { releaseId: string; fields: string[] }) {
  const t = useT();
  const [form] = Form.useForm<ReportForm>();
  const send = useMutation({
    mutationFn: (v: ReportForm) => {
      const body: PublicReportCreate = { releaseId, description: v.description.trim() };
      if (v.field) body.field = v.field;
      if (v.recordKey?.trim()) body.recordKey = v.recordKey.trim();
      if (v.contact?.trim()) body.contact = v.contact.trim();
      return publicPost<PublicReportReceipt>('/api/public/error-reports', body);
    },
    onSuccess: () => form.resetFields(),
  });
  if (send.data) {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="report-receipt"
        title={t('openPortal.report.received')}
        description={
          <div>
            <div>
              {t('openPortal.report.trackingCode')}
              {t('common.colon')}
              <Typography.Text code copyable data-testid="report-tracking-code">
                {send.data.trackingCode}
              </Typography.Text>
            </div>
            <div>{t('openPortal.report.keepCode', { date: send.data.dueDate })}</div>
            <Button size="small" style={{ marginTop: 8 }} onClick={() => send.reset()} data-testid="report-another">
              {t('openPortal.report.another')}
            </Button>
          </div>
        }
      />
    );
  }
  return (
    <Form<ReportForm> form={form} layout="vertical" onFinish={(v) => send.mutate(v)} data-testid="report-form">
      <ErrorAlert error={send.error} />
      <Form.Item name="field" label={t('openPortal.report.field')}>
        <Select
          allowClear
          options={fields.map((f) => ({ value: f, label: f }))}
          placeholder={t('openPortal.report.fieldPlaceholder')}
          data-testid="report-field"
        />
      </Form.Item>
      <Form.Item name="recordKey" label={t('openPortal.report.recordKey')} extra={t('openPortal.report.recordKeyHint')}>
        <Input maxLength={200} data-testid="report-record-key" />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('openPortal.report.description')}
        rules={[{ required: true, whitespace: true, message: t('openPortal.report.descriptionRequired') }]}
      >
        <Input.TextArea rows={4} maxLength={2000} showCount data-testid="report-description" />
      </Form.Item>
      <Form.Item name="contact" label={t('openPortal.report.contact')} extra={t('openPortal.report.contactHint')}>
        <Input maxLength={200} data-testid="report-contact" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={send.isPending} data-testid="report-submit">
        {t('openPortal.report.submit')}
      </Button>
    </Form>
  );
}
