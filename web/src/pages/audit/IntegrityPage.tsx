// 完整性校验 (AUD-2, FZ-17): runs the chain verification as a background job (POST /api/audit/integrity/jobs,
// issue 6: a city's log takes minutes), with its progress and a cancel button, and shows the verdict —
// a big 通过 / 未通过 with the first problem and its position (and the broken event's proof) — and its numbers;
// the SM2 signing public key with its fingerprint and how a regulator checks an export offline; the export
// itself (only auditors whose reach covers the platform may: the page cannot tell who — an institution's
// hidden parent looks like a root — so the server decides: the public-key answer says canExport, and a 403 still
// drops the button);
// and the signed checkpoints.
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Collapse, DatePicker, Descriptions, Result, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, isApiError, withQuery } from '../../api.ts';
import type { CheckpointView, IntegrityReport, PublicKeys } from '../../auditIntegrityTypes.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { JobProgressAlert } from '../../components/JobProgress.tsx';
import { serverPagination } from '../../components/paging.ts';
import { useJob } from '../../components/useJob.ts';
import type { Job } from '../../discoveryTypes.ts';
import { beijingDayBoundary, fmtDateTime } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import type { Paged } from '../../types.ts';
import { isActive } from '../discovery/labels.ts';
import { EventProofDrawer, Hex, MONO } from './EventProofDrawer.tsx';

type Range = [Dayjs | null, Dayjs | null] | null;

/** The picker's days are Beijing calendar days: from 00:00 of the first to 00:00 after the last (exclusive). */
function rangeQuery(range: Range): { from?: string; to?: string } {
  return {
    from: range?.[0] ? beijingDayBoundary(range[0].format('YYYY-MM-DD'), false) : undefined,
    to: range?.[1] ? beijingDayBoundary(range[1].add(1, 'day').format('YYYY-MM-DD'), false) : undefined,
  };
}

const fmtInt = (n: number) => n.toLocaleString('zh-CN');

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function Verdict({ report, onProof }: { report: IntegrityReport; onProof: (eventId: string) => void }) {
  const t = useT();
  const { pick } = useI18n();
  const problem = report.problem;
  const witness = report.witness;
  return (
    <div data-testid="integrity-result" data-ok={String(report.ok)} data-position={problem?.position ?? ''} data-verified-at={report.verifiedAt}>
      {report.ok ? (
        <Result
          status="success"
          icon={<CheckCircleFilled />}
          title={<span data-testid="integrity-verdict">{t('integrity.pass')}</span>}
          subTitle={report.range.from || report.range.to ? t('integrity.passRangeHint') : t('integrity.passHint')}
        />
      ) : (
        <Result
          status="error"
          icon={<CloseCircleFilled />}
          title={<span data-testid="integrity-verdict">{t('integrity.fail')}</span>}
          subTitle={
            <Space orientation="vertical" size={4}>
              <Typography.Text strong style={{ fontSize: 16 }} data-testid="integrity-problem" data-kind={problem?.kind ?? ''}>
                {problem ? pick(problem) : ''}
              </Typography.Text>
              {problem?.position != null && (
                <Typography.Text data-testid="integrity-problem-position">{t('integrity.problemAt', { position: problem.position })}</Typography.Text>
              )}
              {problem?.eventId && (
                <Button onClick={() => onProof(problem.eventId as string)} data-testid="integrity-problem-proof">
                  {t('integrity.viewProof')}
                </Button>
              )}
            </Space>
          }
        />
      )}
      <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} data-testid="integrity-numbers">
        <Descriptions.Item label={t('integrity.checkedEvents')}>
          <span data-testid="integrity-checked">{fmtInt(report.checkedEvents)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('integrity.checkpointsVerified')}>{fmtInt(report.checkpointsVerified)}</Descriptions.Item>
        <Descriptions.Item label={t('integrity.bytesHashed')}>{fmtBytes(report.bytesHashed)}</Descriptions.Item>
        <Descriptions.Item label={t('integrity.positions')}>
          {report.range.firstPosition == null ? '—' : `${report.range.firstPosition} – ${report.range.lastPosition}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('integrity.lastCheckpoint')}>
          {report.lastCheckpoint
            ? t('integrity.checkpointAt', { position: report.lastCheckpoint.position, at: fmtDateTime(report.lastCheckpoint.signedAt) })
            : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('integrity.witness')}>
          <span data-testid="integrity-witness" data-status={witness?.status ?? 'none'}>
            {!witness ? (
              <Typography.Text type="secondary">{t('integrity.witness.none')}</Typography.Text>
            ) : witness.status === 'ok' ? (
              <Tag color="green">{t('integrity.witness.ok', { position: witness.position ?? '—' })}</Tag>
            ) : witness.status === 'absent' ? (
              <Tag>{t('integrity.witness.absent')}</Tag>
            ) : (
              <Tag color="red">{t('integrity.witness.problem', { position: witness.position ?? '—' })}</Tag>
            )}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('integrity.pending')}>{fmtInt(report.pending)}</Descriptions.Item>
        <Descriptions.Item label={t('integrity.archives')}>{fmtInt(report.archives)}</Descriptions.Item>
        <Descriptions.Item label={t('integrity.elapsed')}>{t('integrity.elapsedMs', { ms: fmtInt(report.elapsedMs) })}</Descriptions.Item>
        <Descriptions.Item label={t('integrity.head')} span={{ xs: 1, md: 2, xl: 2 }}>
          {report.head ? (
            <Space size={8} wrap>
              <span>{t('integrity.headPosition', { position: report.head.position })}</span>
              <Hex value={report.head.hash} testId="integrity-head-hash" />
            </Space>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('integrity.verifiedAt')}>{fmtDateTime(report.verifiedAt)}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}

/**
 * One verification job (POST /api/audit/integrity/jobs): its progress (events checked / events in range) and a
 * cancel button while it is queued or running, then the verdict from its result, as the synchronous check showed it.
 */
function VerifyJob({
  job: initial,
  following,
  onProof,
  onActive,
}: {
  job: Job;
  following: boolean;
  onProof: (eventId: string) => void;
  onActive: (active: boolean) => void;
}) {
  const t = useT();
  const { lang } = useI18n();
  const q = useJob(initial);
  const job = q.data;
  const active = isActive(job);
  useEffect(() => onActive(active), [active, onActive]);
  const report = job.status === 'succeeded' && job.result ? (job.result as unknown as IntegrityReport) : null;
  return (
    <div data-testid="integrity-job" data-job-id={job.id} data-status={job.status}>
      {following && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('integrity.job.following')} data-testid="integrity-job-following" />}
      {active && (
        <JobProgressAlert
          job={job}
          refetch={q.refetch}
          canCancel
          style={{ marginBottom: 16 }}
          texts={{
            title: t('integrity.job.title'),
            queued: t('integrity.job.queued'),
            count: (done, total) =>
              total !== null ? t('integrity.job.events', { done: fmtInt(done), total: fmtInt(total) }) : t('integrity.job.eventsSoFar', { done: fmtInt(done) }),
            cancelling: t('integrity.job.cancelling'),
            startedAt: (at) => t('integrity.job.startedAt', { at }),
            cancel: t('integrity.job.cancel'),
          }}
          testIds={{
            root: 'integrity-job-progress',
            status: 'integrity-job-status',
            bar: 'integrity-job-bar',
            text: 'integrity-job-text',
            cancel: 'integrity-job-cancel',
          }}
        />
      )}
      {job.status === 'cancelled' && <Alert type="warning" showIcon title={t('integrity.job.cancelled')} data-testid="integrity-job-cancelled" />}
      {job.status === 'failed' && (
        <Alert
          type="error"
          showIcon
          data-testid="integrity-job-failed"
          title={t('integrity.job.failed', {
            message: (lang === 'en' ? job.error?.messageEn : undefined) ?? job.error?.message ?? job.error?.code ?? '',
          })}
        />
      )}
      {report && <Verdict report={report} onProof={onProof} />}
    </div>
  );
}

function VerifyCard({ onProof }: { onProof: (eventId: string) => void }) {
  const t = useT();
  const [range, setRange] = useState<Range>(null);
  const [current, setCurrent] = useState<{ job: Job; following: boolean } | null>(null);
  const [running, setRunning] = useState(false);
  // Starts a verification job; while another is queued or running (one at a time), follows that one instead.
  const start = useMutation({
    mutationFn: async (r: Range): Promise<{ job: Job; following: boolean }> => {
      try {
        return { job: await api.post<Job>('/api/audit/integrity/jobs', rangeQuery(r)), following: false };
      } catch (e) {
        const jobId = isApiError(e, 'AUDIT_VERIFY_RUNNING') ? e.details?.jobId : undefined;
        if (typeof jobId !== 'string') throw e;
        return { job: await api.get<Job>(`/api/jobs/${jobId}`), following: true };
      }
    },
    onSuccess: (c) => {
      setRunning(isActive(c.job));
      setCurrent(c);
    },
  });
  const onActive = useCallback((active: boolean) => setRunning(active), []);
  return (
    <Card size="small" title={t('integrity.verifyTitle')} data-testid="integrity-verify">
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={range}
          onChange={(v) => setRange(v as Range)}
          placeholder={[t('integrity.rangeFrom'), t('integrity.rangeTo')]}
          data-testid="integrity-range"
        />
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          loading={start.isPending || running}
          onClick={() => start.mutate(range)}
          data-testid="integrity-run"
        >
          {t('integrity.run')}
        </Button>
        <Typography.Text type="secondary">{t('integrity.rangeHint')}</Typography.Text>
      </Space>
      <ErrorAlert error={start.error} />
      {current && !start.isPending && <VerifyJob key={current.job.id} job={current.job} following={current.following} onProof={onProof} onActive={onActive} />}
    </Card>
  );
}

function KeyCard() {
  const t = useT();
  const keys = useQuery({ queryKey: ['audit-public-key'], queryFn: () => api.get<PublicKeys>('/api/audit/integrity/public-key') });
  const active = keys.data?.keys.find((k) => k.version === keys.data?.active) ?? keys.data?.keys.at(-1);
  const command = `shuan audit verify-bundle ${t('integrity.regulator.file')} --fingerprint ${active?.fingerprint ?? t('integrity.key.fingerprintPlaceholder')}`;
  return (
    <Card size="small" title={t('integrity.key.title')} data-testid="integrity-key">
      <ErrorAlert error={keys.error} />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {(keys.data?.keys ?? [])
          .slice()
          .reverse()
          .map((k) => (
            <Descriptions key={k.version} size="small" bordered column={1} data-testid={`integrity-key-v${k.version}`}>
              <Descriptions.Item label={t('integrity.key.version')}>
                <Space>
                  <span>v{k.version}</span>
                  <span>{k.algorithm}</span>
                  {k.version === keys.data?.active && <Tag color="blue">{t('integrity.key.active')}</Tag>}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('integrity.key.fingerprint')}>
                <Hex value={k.fingerprint} testId={k.version === keys.data?.active ? 'integrity-fingerprint' : undefined} />
              </Descriptions.Item>
              <Descriptions.Item label={t('integrity.key.pem')}>
                <Collapse
                  size="small"
                  ghost
                  items={[
                    {
                      key: 'pem',
                      label: t('integrity.key.showPem'),
                      children: (
                        <Typography.Paragraph copyable={{ text: k.publicKeyPem }} style={{ margin: 0 }}>
                          <pre style={{ ...MONO, margin: 0, whiteSpace: 'pre-wrap' }}>{k.publicKeyPem}</pre>
                        </Typography.Paragraph>
                      ),
                    },
                  ]}
                />
              </Descriptions.Item>
            </Descriptions>
          ))}
        <Alert
          type="info"
          showIcon
          title={t('integrity.regulator.title')}
          data-testid="integrity-regulator"
          description={
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <span>{t('integrity.regulator.text')}</span>
              <Typography.Text code copyable={{ text: command }} style={MONO} data-testid="integrity-regulator-command">
                {command}
              </Typography.Text>
              <Typography.Text type="secondary">{t('integrity.regulator.exit')}</Typography.Text>
            </Space>
          }
        />
      </Space>
    </Card>
  );
}

function ExportCard({ canExport }: { canExport: boolean | undefined }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [range, setRange] = useState<Range>(null);
  const [refused, setRefused] = useState(false);
  const exp = useMutation({
    mutationFn: (r: Range) => api.download(withQuery('/api/audit/integrity/export', rangeQuery(r)), 'shuan-audit.jsonl'),
    onSuccess: () => {
      message.success(t('integrity.export.done'));
      // An export signs a checkpoint at its last position when none is there.
      void qc.invalidateQueries({ queryKey: ['audit-checkpoints'] });
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 403) setRefused(true);
    },
  });
  return (
    <Card size="small" title={t('integrity.export.title')} data-testid="integrity-export">
      <Typography.Paragraph type="secondary">{t('integrity.export.hint')}</Typography.Paragraph>
      {canExport === false && <Alert type="info" showIcon title={t('integrity.export.notAllowed')} data-testid="integrity-export-not-allowed" />}
      {canExport && !refused && (
        <Space wrap style={{ marginBottom: 16 }}>
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            value={range}
            onChange={(v) => setRange(v as Range)}
            placeholder={[t('integrity.rangeFrom'), t('integrity.rangeTo')]}
            data-testid="integrity-export-range"
          />
          <Button icon={<DownloadOutlined />} loading={exp.isPending} onClick={() => exp.mutate(range)} data-testid="integrity-export-run">
            {t('integrity.export.button')}
          </Button>
        </Space>
      )}
      <ErrorAlert error={exp.error} type={refused ? 'warning' : 'error'} testId="integrity-export-error" />
    </Card>
  );
}

function CheckpointsCard() {
  const t = useT();
  const [f, setF] = useState({ page: 1, pageSize: 10 });
  const list = useQuery({
    queryKey: ['audit-checkpoints', f],
    queryFn: () => api.get<Paged<CheckpointView>>('/api/audit/integrity/checkpoints', f),
    placeholderData: keepPreviousData,
  });
  return (
    <Card size="small" title={t('integrity.checkpoints.title')} data-testid="integrity-checkpoints">
      <ErrorAlert error={list.error} />
      <Table<CheckpointView>
        rowKey="position"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('integrity.checkpoints.empty') }}
        pagination={serverPagination(f, setF, list.data?.total, t)}
        columns={[
          { title: t('proof.cpPosition'), dataIndex: 'position', width: 110 },
          { title: t('proof.cpSignedAt'), dataIndex: 'signedAt', width: 190, render: (v: string) => fmtDateTime(v) },
          { title: t('integrity.key.version'), dataIndex: 'keyVersion', width: 80, render: (v: number) => `v${v}` },
          {
            title: t('proof.cpHeadHash'),
            dataIndex: 'headHash',
            render: (v: string) => (
              <Typography.Text copyable={{ text: v }} style={MONO}>
                {`${v.slice(0, 16)}…`}
              </Typography.Text>
            ),
          },
          {
            title: t('proof.cpSignature'),
            dataIndex: 'signature',
            render: (v: string) => (
              <Typography.Text copyable={{ text: v }} style={MONO}>
                {`${v.slice(0, 16)}…`}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Card>
  );
}

export default function IntegrityPage() {
  const t = useT();
  const [proof, setProof] = useState<string | null>(null);
  // The server says whether this auditor may export (the institution tree cannot tell the page).
  const keys = useQuery({ queryKey: ['audit-public-key'], queryFn: () => api.get<PublicKeys>('/api/audit/integrity/public-key') });
  return (
    <div data-testid="integrity-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.integrity')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('integrity.intro')}</Typography.Paragraph>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <VerifyCard onProof={setProof} />
        <KeyCard />
        <ExportCard canExport={keys.data?.canExport} />
        <CheckpointsCard />
      </Space>
      {proof && <EventProofDrawer eventId={proof} onClose={() => setProof(null)} />}
    </div>
  );
}
