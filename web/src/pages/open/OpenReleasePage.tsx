// 开放数据详情 (LIF-7, HZ-26): one approved release for anyone — what it holds (fields), who provides it, its
// licence and changelog, the download of the current file (CSV, UTF-8 with BOM, its SM3 shown so a copy can be
// checked) and the error report (DG-11).
import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Empty, Row, Space, Table, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { ErrorAlert, Loading } from '../../components/ErrorAlert.tsx';
import { fmtDate, fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { PublicRelease } from '../../openDataTypes.ts';
import { publicGet } from './PublicLayout.tsx';
import { CHANGE_LABEL, ErrorReportForm, fmtBytes, LicenceTag } from './parts.tsx';

export default function OpenReleasePage() {
  const t = useT();
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['public', 'open-data', id],
    queryFn: () => publicGet<PublicRelease>(`/api/public/open-data/${encodeURIComponent(id)}`),
  });
  const r = query.data;
  return (
    <div>
      <Link to="/open" data-testid="open-back">
        <ArrowLeftOutlined /> {t('openPortal.back')}
      </Link>
      <div style={{ height: 12 }} />
      <ErrorAlert error={query.error} />
      {query.isPending && <Loading />}
      {r && (
        <Row gutter={24}>
          <Col xs={24} lg={16}>
            <Card
              title={<span data-testid="open-detail-title">{r.title}</span>}
              extra={
                r.file ? (
                  <Button
                    type="primary"
                    icon={<DownloadOutlined />}
                    href={`/api/public/open-data/${encodeURIComponent(r.id)}/download`}
                    download
                    data-testid="open-download"
                  >
                    {t('openPortal.download')}
                  </Button>
                ) : undefined
              }
              style={{ marginBottom: 16 }}
            >
              {r.description && <Typography.Paragraph>{r.description}</Typography.Paragraph>}
              <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
                <Descriptions.Item label={t('openPortal.provider')}>{r.institution.name}</Descriptions.Item>
                <Descriptions.Item label={t('openPortal.licence')}>
                  <LicenceTag licence={r.licence} />
                </Descriptions.Item>
                <Descriptions.Item label={t('openPortal.publishedAt')}>{fmtDate(r.publishedAt)}</Descriptions.Item>
                <Descriptions.Item label={t('openPortal.updated')}>{fmtDate(r.updatedAt)}</Descriptions.Item>
                {r.file && (
                  <>
                    <Descriptions.Item label={t('openPortal.fileSize')}>
                      {t('openPortal.rows', { n: r.file.rows.toLocaleString() })} · {fmtBytes(r.file.bytes)} · {fmtDateTime(r.file.createdAt)}
                    </Descriptions.Item>
                    <Descriptions.Item label="SM3">
                      <Typography.Text code copyable style={{ fontSize: 12, wordBreak: 'break-all' }} data-testid="open-file-sm3">
                        {r.file.sm3}
                      </Typography.Text>
                    </Descriptions.Item>
                  </>
                )}
              </Descriptions>
            </Card>
            <Card title={t('openPortal.fields')} style={{ marginBottom: 16 }}>
              <Table
                rowKey="name"
                size="small"
                pagination={false}
                data-testid="open-fields"
                dataSource={r.fields}
                columns={[
                  { title: t('openPortal.fieldName'), dataIndex: 'name', width: 200 },
                  { title: t('openPortal.fieldType'), dataIndex: 'dataType', width: 120 },
                  { title: t('openPortal.fieldDescription'), dataIndex: 'description', render: (v: string | null) => v ?? '—' },
                ]}
              />
            </Card>
            <Card title={t('openPortal.changelog')} data-testid="open-changelog">
              {r.changelog.length === 0 ? (
                <Empty />
              ) : (
                <Timeline
                  items={r.changelog.map((c) => ({
                    key: `${c.at}-${c.kind}`,
                    color: c.kind === 'withdrawn' ? 'red' : c.kind === 'published' ? 'green' : 'blue',
                    content: (
                      <Space orientation="vertical" size={0} data-testid="open-change">
                        <Space>
                          <Typography.Text strong>{t(CHANGE_LABEL[c.kind])}</Typography.Text>
                          <Typography.Text type="secondary">{fmtDateTime(c.at)}</Typography.Text>
                        </Space>
                        {c.note && <span>{c.note}</span>}
                        {c.fileSm3 && (
                          <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                            SM3 {c.fileSm3}
                          </Typography.Text>
                        )}
                      </Space>
                    ),
                  }))}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card title={t('openPortal.report.title')} data-testid="report-card">
              <Typography.Paragraph type="secondary">{t('openPortal.report.intro')}</Typography.Paragraph>
              <ErrorReportForm releaseId={r.id} fields={r.fields.map((f) => f.name)} />
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
