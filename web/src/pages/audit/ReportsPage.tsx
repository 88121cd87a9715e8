// 审计报告 (AUD-4, AUD-5): pick an institution (its subtree; the city root: city-wide) and a period (month,
// quarter, year in Beijing time, or days), see the report's sections, download the XLSX, "生成并存档" to
// archive it (file + SM3), the archived reports with their printable page, and the auditor's vendor review.
import { DownloadOutlined, FileDoneOutlined, PrinterOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, Modal, Radio, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../../api.ts';
import type { AuditReport, StoredReport, StoredReportSummary, VendorConclusion, VendorReviewCreate } from '../../auditReportTypes.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../../components/institutions.tsx';
import { fmtDateTime, testId } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import { useCan, useMe } from '../../session.tsx';
import type { Paged } from '../../types.ts';
import { type PeriodKind, periodOf, ReportOverview, ReportSections, useAuditLabels } from './reportParts.tsx';

export const STORED_KEY = ['audit', 'reports', 'stored'] as const;

function VendorReviewModal({ report, onClose }: { report: StoredReportSummary | null; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<VendorReviewCreate>();
  const conclusion = Form.useWatch('conclusion', form) as VendorConclusion | undefined;
  const save = useMutation({
    mutationFn: (body: VendorReviewCreate) => api.post<StoredReport>(`/api/audit/reports/${report?.id}/vendor-review`, body),
    onSuccess: () => {
      message.success(t('auditReport.review.saved'));
      void qc.invalidateQueries({ queryKey: STORED_KEY });
      form.resetFields();
      onClose();
    },
  });
  return (
    <Modal
      open={!!report}
      title={t('auditReport.review.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('auditReport.review.submit')}
      confirmLoading={save.isPending}
      okButtonProps={testId('vendor-review-submit')}
      destroyOnHidden
      data-testid="vendor-review-modal"
    >
      {report && (
        <Typography.Paragraph type="secondary">
          {t('auditReport.review.intro', {
            institution: report.institutionName,
            period: `${fmtDateTime(report.periodFrom)} ~ ${fmtDateTime(report.periodTo)}`,
          })}
        </Typography.Paragraph>
      )}
      <ErrorAlert error={save.error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ conclusion: 'satisfactory' }}
        onFinish={(v) => save.mutate({ conclusion: v.conclusion, ...(v.findings?.trim() ? { findings: v.findings.trim() } : {}) })}
      >
        <Form.Item name="conclusion" label={t('auditReport.review.conclusion')} rules={[{ required: true }]}>
          <Radio.Group data-testid="vendor-review-conclusion">
            <Radio value="satisfactory">{t('auditReport.conclusion.satisfactory')}</Radio>
            <Radio value="issues_found">{t('auditReport.conclusion.issues_found')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="findings"
          label={t('auditReport.review.findings')}
          rules={conclusion === 'issues_found' ? [{ required: true, whitespace: true, message: t('auditReport.review.findingsRequired') }] : []}
        >
          <Input.TextArea rows={4} maxLength={4000} showCount data-testid="vendor-review-findings" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function StoredReports() {
  const t = useT();
  const can = useCan();
  const l = useAuditLabels();
  const { message } = App.useApp();
  const [page, setPage] = useState({ page: 1, pageSize: 10 });
  const [reviewing, setReviewing] = useState<StoredReportSummary | null>(null);
  const list = useQuery({
    queryKey: [...STORED_KEY, page],
    queryFn: () => api.get<Paged<StoredReportSummary>>('/api/audit/reports', page),
    placeholderData: keepPreviousData,
  });
  return (
    <Card size="small" title={t('auditReport.stored')} style={{ marginTop: 16 }}>
      <ErrorAlert error={list.error} />
      <Table<StoredReportSummary>
        rowKey="id"
        size="small"
        data-testid="stored-reports"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('auditReport.noStored') }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          hideOnSinglePage: true,
          onChange: (p, s) => setPage({ page: p, pageSize: s }),
        }}
        columns={[
          { title: t('auditReport.institution'), dataIndex: 'institutionName' },
          {
            title: t('auditReport.period'),
            key: 'period',
            render: (_v, r) =>
              `${fmtDateTime(r.periodFrom).slice(0, 10)} ~ ${fmtDateTime(new Date(new Date(r.periodTo).getTime() - 1).toISOString()).slice(0, 10)}`,
          },
          { title: t('auditReport.generatedAt'), dataIndex: 'generatedAt', render: (v: string) => fmtDateTime(v) },
          { title: t('auditReport.generatedBy'), key: 'by', render: (_v, r) => r.generatedBy?.displayName ?? '—' },
          { title: t('auditReport.events'), key: 'events', render: (_v, r) => r.totals.total },
          {
            title: t('auditReport.fileSm3'),
            dataIndex: 'xlsxSm3',
            render: (v: string) => (
              <Tooltip title={v}>
                <Typography.Text code copyable={{ text: v }}>{`${v.slice(0, 12)}…`}</Typography.Text>
              </Tooltip>
            ),
          },
          {
            title: t('auditReport.review.column'),
            key: 'review',
            render: (_v, r) =>
              r.vendorReview ? (
                <Tag color={r.vendorReview.conclusion === 'satisfactory' ? 'green' : 'orange'} data-testid="stored-review">
                  {l.conclusion(r.vendorReview.conclusion)}
                </Tag>
              ) : (
                <Tag data-testid="stored-review">{t('auditReport.review.none')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v, r) => (
              <Space size={4} wrap>
                <Link to={`/audit/reports/${r.id}/print`} data-testid="stored-print">
                  <PrinterOutlined /> {t('auditReport.print')}
                </Link>
                <Button
                  size="small"
                  type="link"
                  icon={<DownloadOutlined />}
                  data-testid="stored-download"
                  onClick={() => api.download(`/api/audit/reports/${r.id}/xlsx`, r.fileName).catch((e: Error) => message.error(e.message))}
                >
                  XLSX
                </Button>
                {can('audit.review') && !r.vendorReview && (
                  <Button size="small" type="link" icon={<FileDoneOutlined />} data-testid="stored-review-open" onClick={() => setReviewing(r)}>
                    {t('auditReport.review.open')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <VendorReviewModal report={reviewing} onClose={() => setReviewing(null)} />
    </Card>
  );
}

export default function ReportsPage() {
  const t = useT();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [institutionId, setInstitutionId] = useState<string | undefined>(me.institutionId);
  const [kind, setKind] = useState<PeriodKind>('month');
  const [date, setDate] = useState<Dayjs | null>(dayjs());
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [downloading, setDownloading] = useState(false);
  const period = periodOf(kind, date, range);
  const params = institutionId && period ? { institutionId, from: period.from, to: period.to } : null;

  const report = useQuery({
    queryKey: ['audit', 'reports', 'summary', params],
    queryFn: () => api.get<AuditReport>('/api/audit/reports/summary', params ?? {}),
    enabled: !!params,
    placeholderData: keepPreviousData,
  });
  const archive = useMutation({
    mutationFn: () => api.post<StoredReport>('/api/audit/reports', params),
    onSuccess: (r) => {
      message.success(t('auditReport.archived', { sm3: r.xlsxSm3.slice(0, 16) }));
      void qc.invalidateQueries({ queryKey: STORED_KEY });
    },
  });
  const download = async () => {
    if (!params) return;
    setDownloading(true);
    try {
      await api.download(withQuery('/api/audit/reports/xlsx', params), 'audit-report.xlsx');
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.auditReports')}
      </Typography.Title>
      <Card size="small">
        <Space wrap style={{ marginBottom: 16 }}>
          <InstitutionTreeSelect
            testId="report-institution"
            value={institutionId}
            onChange={setInstitutionId}
            allowClear={false}
            placeholder={t('auditReport.institution')}
            style={{ width: 260 }}
          />
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as PeriodKind)} optionType="button" data-testid="report-period-kind">
            <Radio.Button value="month">{t('auditReport.preset.month')}</Radio.Button>
            <Radio.Button value="quarter">{t('auditReport.preset.quarter')}</Radio.Button>
            <Radio.Button value="year">{t('auditReport.preset.year')}</Radio.Button>
            <Radio.Button value="custom">{t('auditReport.preset.custom')}</Radio.Button>
          </Radio.Group>
          {kind === 'custom' ? (
            <DatePicker.RangePicker value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} data-testid="report-range" />
          ) : (
            <DatePicker picker={kind} value={date} onChange={setDate} allowClear={false} data-testid="report-date" />
          )}
          <Button icon={<ReloadOutlined />} onClick={() => report.refetch()} disabled={!params} data-testid="report-refresh">
            {t('auditReport.refresh')}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={download} loading={downloading} disabled={!params} data-testid="report-xlsx">
            {t('auditReport.downloadXlsx')}
          </Button>
          <Button
            type="primary"
            icon={<SaveOutlined />}
            onClick={() => archive.mutate()}
            loading={archive.isPending}
            disabled={!params}
            data-testid="report-archive"
          >
            {t('auditReport.archive')}
          </Button>
        </Space>
        <ErrorAlert error={report.error ?? archive.error} />
        {report.data ? (
          <div data-testid="report" data-institution={report.data.institution.id} aria-busy={report.isFetching}>
            <ReportOverview report={report.data} />
            <ReportSections report={report.data} />
          </div>
        ) : (
          report.isFetching && <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
        )}
      </Card>
      <StoredReports />
    </div>
  );
}
