// 泄露溯源 (PRT-8, HZ-23): a file found outside is uploaded (raw body, as the dataset upload), and the server
// tells which of the deliveries the caller may see it came from, with a confidence bounded by the watermark
// engine's false-attribution rate, or says plainly that it cannot tell and why. The answer first, big; then
// the evidence: rows read, deliveries compared, carriers observed, and the leading candidates.
import { AimOutlined, InboxOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Result, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { TraceReport } from '../../protectionTypes.ts';
import { ACCEPT, contentTypeOf, MAX_BYTES } from './LoadModal.tsx';
import { fmtCount } from './labels.ts';
import { fmtConfidence } from './maskingLabels.ts';

type Candidate = TraceReport['top'][number];

function Verdict({ report }: { report: TraceReport }) {
  const t = useT();
  const attributed = report.verdict === 'attributed';
  return (
    <div data-testid="trace-result" data-verdict={report.verdict} data-delivery-id={report.deliveryId ?? ''} data-confidence={report.confidence}>
      {attributed ? (
        <Result
          status="success"
          icon={<AimOutlined />}
          title={<span data-testid="trace-source">{t('trace.attributed', { recipient: report.recipient ?? '—' })}</span>}
          subTitle={
            <Typography.Text strong style={{ fontSize: 18 }} data-testid="trace-confidence">
              {t('trace.confidence', { value: fmtConfidence(report.confidence) })}
            </Typography.Text>
          }
        />
      ) : (
        <Result
          status="warning"
          icon={<QuestionCircleOutlined />}
          title={<span data-testid="trace-source">{t('trace.undetermined')}</span>}
          subTitle={
            <span data-testid="trace-reason" data-code={report.reason?.code ?? ''}>
              {report.reason?.message ?? ''}
            </span>
          }
        />
      )}
      <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 16 }} data-testid="trace-evidence">
        {attributed && (
          <>
            <Descriptions.Item label={t('trace.resource')}>
              {report.resourceId ? (
                <Link to={`/catalog/${report.resourceId}/protection?tab=deliveries`} data-testid="trace-resource">
                  {report.resourceName ?? report.resourceId}
                </Link>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('trace.deliveredAt')}>{fmtDateTime(report.deliveredAt)}</Descriptions.Item>
            <Descriptions.Item label={t('trace.delivery')}>
              <Typography.Text code copyable data-testid="trace-delivery-id">
                {report.deliveryId}
              </Typography.Text>
            </Descriptions.Item>
          </>
        )}
        <Descriptions.Item label={t('trace.rows')}>
          <span data-testid="trace-rows">{fmtCount(report.rows)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('trace.candidates')}>{fmtCount(report.candidates)}</Descriptions.Item>
        <Descriptions.Item label={t('trace.carriersObserved')}>{fmtCount(report.carriersObserved)}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>{t('trace.top')}</Typography.Title>
      <Table<Candidate>
        size="small"
        rowKey="deliveryId"
        dataSource={report.top}
        pagination={false}
        data-testid="trace-top"
        locale={{ emptyText: t('trace.noCandidates') }}
        onRow={(c) =>
          ({
            'data-delivery-id': c.deliveryId,
            'data-recipient': c.recipient,
            style: c.deliveryId === report.deliveryId ? { background: '#f6ffed' } : undefined,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('protection.delivery.recipient'), dataIndex: 'recipient', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          {
            title: t('trace.delivery'),
            dataIndex: 'deliveryId',
            width: 140,
            render: (v: string) => <Typography.Text code>{`…${v.slice(-8)}`}</Typography.Text>,
          },
          { title: t('trace.agree'), dataIndex: 'agree', width: 90, align: 'right', render: (n: number) => fmtCount(n) },
          { title: t('trace.disagree'), dataIndex: 'disagree', width: 90, align: 'right', render: (n: number) => fmtCount(n) },
          { title: t('trace.score'), dataIndex: 'score', width: 220, align: 'right', render: (n: number) => n.toFixed(1) },
        ]}
      />
    </div>
  );
}

export default function TracePage() {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const trace = useMutation({
    mutationFn: (f: File) => api.upload<TraceReport>(withQuery('/api/trace', { fileName: f.name }), f, contentTypeOf(f.name) ?? 'application/octet-stream'),
  });

  return (
    <Card
      data-testid="trace-page"
      title={
        <Space>
          <AimOutlined />
          {t('trace.title')}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" style={{ maxWidth: 860 }}>
        {t('trace.intro')}
      </Typography.Paragraph>
      <Space orientation="vertical" style={{ width: '100%', maxWidth: 720, marginBottom: 16 }}>
        <Typography.Text strong>{t('trace.file')}</Typography.Text>
        <div data-testid="trace-file">
          <Upload.Dragger
            accept={ACCEPT}
            maxCount={1}
            multiple={false}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done', size: file.size }] : []}
            beforeUpload={(f) => {
              trace.reset();
              if (!contentTypeOf(f.name)) {
                setLocalError(t('protection.load.badType'));
                setFile(null);
              } else if (f.size > MAX_BYTES) {
                setLocalError(t('trace.tooBig', { mb: MAX_BYTES / 1024 / 1024 }));
                setFile(null);
              } else {
                setLocalError(null);
                setFile(f);
              }
              return false;
            }}
            onRemove={() => {
              setFile(null);
              trace.reset();
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('protection.load.drop')}</p>
            <p className="ant-upload-hint">{t('trace.hint')}</p>
          </Upload.Dragger>
        </div>
        <Button
          type="primary"
          icon={<AimOutlined />}
          disabled={!file}
          loading={trace.isPending}
          onClick={() => file && trace.mutate(file)}
          data-testid="trace-run"
        >
          {t('trace.run')}
        </Button>
      </Space>
      {localError && <Alert type="error" showIcon title={localError} style={{ marginBottom: 16 }} data-testid="trace-local-error" />}
      <ErrorAlert error={trace.error} testId="trace-error" />
      {trace.data && <Verdict report={trace.data} />}
    </Card>
  );
}
