// 开放数据详情 (LIF-7, HZ-26, GZ-17, ZZ-23): one release through its life — the provider runs the checks
// (grade allows opening, no personal information left after the open-data masking, k-anonymity for the
// chosen quasi-identifiers) and sees each check's outcome and reasons, then submits; the authority reviews
// with the three GZ-17 confirmations (no state secrets, no personal information, no trade secrets unless
// consent or public interest) and approves (the snapshot file is published) or rejects; afterwards the
// provider or authority refreshes the file (re-checked) or withdraws the release. Files and changelog below.
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Descriptions, Empty, Form, Input, Modal, Radio, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api.ts';
import { LevelTag } from '../../components/catalog.tsx';
import { ErrorAlert, ErrorResult, errorMessage, Loading } from '../../components/ErrorAlert.tsx';
import { fmtDateTime } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import type { Release, ReleaseChecks, ReleaseReview } from '../../openDataTypes.ts';
import { CHANGE_LABEL, fmtBytes } from '../open/parts.tsx';
import { RELEASES_KEY } from './OpenDataReleasesPage.tsx';
import { describeHierarchy, ReleaseStatusTag } from './releaseParts.tsx';

function Outcome({ passed }: { passed: boolean }) {
  return passed ? <CheckCircleFilled style={{ color: '#16a34a' }} /> : <CloseCircleFilled style={{ color: '#dc2626' }} />;
}

/** Each check with its outcome and reasons, and the per-field / per-column detail behind it. */
function ChecksView({ checks }: { checks: ReleaseChecks }) {
  const t = useT();
  const { pick } = useI18n();
  const g = checks.grade;
  const pi = checks.personalInformation;
  const a = checks.anonymity;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="release-checks">
      <Alert
        type={checks.passed ? 'success' : 'error'}
        showIcon
        data-testid="release-checks-verdict"
        data-passed={String(checks.passed)}
        title={t(checks.passed ? 'openData.checks.allPassed' : 'openData.checks.someFailed')}
        description={checks.datasetVersion !== null ? t('openData.checks.datasetVersion', { v: checks.datasetVersion }) : undefined}
      />
      <Card
        size="small"
        title={
          <Space>
            <Outcome passed={g.passed} />
            {t('openData.checks.grade')}
          </Space>
        }
        data-testid="check-grade"
        data-passed={String(g.passed)}
      >
        <Typography.Paragraph>{pick(g.reason)}</Typography.Paragraph>
        <Typography.Paragraph type={g.resource.passed ? 'secondary' : 'danger'}>
          {t('openData.checks.resourceLevel')}
          {t('common.colon')}
          <LevelTag level={g.resource.level} /> {pick(g.resource.reason)}
        </Typography.Paragraph>
        <Table
          rowKey="field"
          size="small"
          pagination={false}
          dataSource={g.fields}
          columns={[
            { title: t('openData.checks.field'), dataIndex: 'field', width: 160 },
            { title: t('openData.checks.level'), dataIndex: 'level', width: 110, render: (v: string | null) => <LevelTag level={v} /> },
            { title: t('openData.checks.openMethod'), dataIndex: 'openMethod', width: 120 },
            { title: t('openData.checks.outcome'), dataIndex: 'passed', width: 70, render: (v: boolean) => <Outcome passed={v} /> },
            { title: t('openData.checks.reason'), key: 'reason', render: (_v, r) => pick(r.reason) },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={
          <Space>
            <Outcome passed={pi.passed} />
            {t('openData.checks.pi')}
          </Space>
        }
        data-testid="check-pi"
        data-passed={String(pi.passed)}
      >
        <Typography.Paragraph>
          {pick(pi.reason)} {t('openData.checks.rowsScanned', { n: pi.rows })}
        </Typography.Paragraph>
        <Table
          rowKey="field"
          size="small"
          pagination={false}
          dataSource={pi.columns}
          columns={[
            { title: t('openData.checks.field'), dataIndex: 'field', width: 160 },
            { title: t('openData.checks.nonEmpty'), dataIndex: 'nonEmpty', width: 90, align: 'right' },
            {
              title: t('openData.checks.piFound'),
              key: 'types',
              render: (_v, c) =>
                c.types.length === 0
                  ? '—'
                  : c.types.map((ty) => (
                      <Tag key={ty.type} color={c.piTypes.includes(ty.type) ? 'red' : 'default'}>
                        {ty.type} {Math.round(ty.share * 100)}%
                      </Tag>
                    )),
            },
            { title: t('openData.checks.outcome'), dataIndex: 'passed', width: 70, render: (v: boolean) => <Outcome passed={v} /> },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={
          <Space>
            <Outcome passed={a.passed} />
            {t('openData.checks.anonymity')}
          </Space>
        }
        data-testid="check-anonymity"
        data-passed={String(a.passed)}
      >
        <Typography.Paragraph>{pick(a.reason)}</Typography.Paragraph>
        <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
          <Descriptions.Item label={t('openData.checks.qis')}>{a.quasiIdentifiers.length ? a.quasiIdentifiers.join('、') : '—'}</Descriptions.Item>
          <Descriptions.Item label="k">{a.k}</Descriptions.Item>
          <Descriptions.Item label={t('openData.maxSuppression')}>{a.maxSuppression}</Descriptions.Item>
          <Descriptions.Item label={t('openData.checks.rows')}>{a.rows}</Descriptions.Item>
          <Descriptions.Item label={t('openData.checks.classes')}>{a.classes}</Descriptions.Item>
          <Descriptions.Item label={t('openData.checks.smallestClass')}>{a.smallestClass}</Descriptions.Item>
          <Descriptions.Item label={t('openData.checks.violatingRows')}>{a.violatingRows}</Descriptions.Item>
        </Descriptions>
        {a.advice && !a.passed && (
          <Alert
            style={{ marginTop: 12 }}
            type="info"
            showIcon
            title={t(a.advice.generalisationFound ? 'openData.checks.adviceFound' : 'openData.checks.adviceNone')}
            description={
              a.advice.generalisationFound && a.advice.levelNames
                ? `${Object.entries(a.advice.levelNames)
                    .map(([f, l]) => `${f}：${l}`)
                    .join('；')}${a.advice.suppressedRows ? ` · ${t('openData.checks.adviceSuppressed', { n: a.advice.suppressedRows })}` : ''}`
                : undefined
            }
          />
        )}
      </Card>
    </Space>
  );
}

type TradeChoice = 'none' | 'consent' | 'public_interest';
interface ReviewForm {
  stateSecrets?: boolean;
  personalInformation?: boolean;
  trade?: TradeChoice;
  tradeNote?: string;
  reason?: string;
}

/** The authority's review: the three GZ-17 confirmations, then approve (publishes) or reject with a reason. */
function ReviewCard({ release, onDone }: { release: Release; onDone: (r: Release) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReviewForm>();
  const trade = Form.useWatch('trade', form);
  const review = useMutation({
    mutationFn: (body: ReleaseReview) => api.post<Release>(`/api/open-data/releases/${release.id}/review`, body),
    onSuccess: (r, body) => {
      onDone(r);
      message.success(t(body.decision === 'approve' ? 'openData.review.approved' : 'openData.review.rejected'));
    },
  });
  const approve = async () => {
    let v: ReviewForm;
    try {
      v = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    review.mutate({
      decision: 'approve',
      // Each confirmation says the release does NOT contain that kind of information (false), or for trade
      // secrets the basis on which it may (consent of the holder, or the public interest).
      confirmations: {
        stateSecrets: false,
        personalInformation: false,
        tradeSecrets: v.trade === 'none' ? false : { basis: v.trade as 'consent' | 'public_interest', note: (v.tradeNote ?? '').trim() },
      },
      reason: v.reason?.trim() || undefined,
    });
  };
  const reject = () => {
    const reason = (form.getFieldValue('reason') as string | undefined)?.trim();
    if (!reason) {
      form.setFields([{ name: 'reason', errors: [t('openData.review.reasonRequired')] }]);
      return;
    }
    review.mutate({ decision: 'reject', reason });
  };
  const mustConfirm = (msg: string) => ({
    validator: (_: unknown, v: boolean) => (v ? Promise.resolve() : Promise.reject(new Error(msg))),
  });
  return (
    <Card title={t('openData.review.title')} style={{ marginBottom: 16 }} data-testid="release-review">
      <Typography.Paragraph type="secondary">{t('openData.review.intro')}</Typography.Paragraph>
      <ErrorAlert error={review.error} />
      <Form<ReviewForm> form={form} layout="vertical" initialValues={{ trade: undefined }}>
        <Form.Item name="stateSecrets" valuePropName="checked" rules={[mustConfirm(t('openData.review.confirmRequired'))]}>
          <Checkbox data-testid="review-state-secrets">{t('openData.review.stateSecrets')}</Checkbox>
        </Form.Item>
        <Form.Item name="personalInformation" valuePropName="checked" rules={[mustConfirm(t('openData.review.confirmRequired'))]}>
          <Checkbox data-testid="review-personal-information">{t('openData.review.personalInformation')}</Checkbox>
        </Form.Item>
        <Form.Item name="trade" label={t('openData.review.tradeSecrets')} rules={[{ required: true, message: t('openData.review.tradeRequired') }]}>
          <Radio.Group data-testid="review-trade-secrets">
            <Space orientation="vertical">
              <Radio value="none" data-testid="review-trade-none">
                {t('openData.review.tradeNone')}
              </Radio>
              <Radio value="consent" data-testid="review-trade-consent">
                {t('openData.review.tradeConsent')}
              </Radio>
              <Radio value="public_interest" data-testid="review-trade-public">
                {t('openData.review.tradePublic')}
              </Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        {trade && trade !== 'none' && (
          <Form.Item
            name="tradeNote"
            label={t('openData.review.tradeNote')}
            rules={[{ required: true, whitespace: true, message: t('openData.review.tradeNoteRequired') }]}
          >
            <Input.TextArea rows={2} maxLength={2000} data-testid="review-trade-note" />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('openData.review.reason')} extra={t('openData.review.reasonHint')}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="review-reason" />
        </Form.Item>
        <Space>
          <Button type="primary" onClick={approve} loading={review.isPending && review.variables?.decision === 'approve'} data-testid="review-approve">
            {t('openData.review.approve')}
          </Button>
          <Button danger onClick={reject} loading={review.isPending && review.variables?.decision === 'reject'} data-testid="review-reject">
            {t('openData.review.reject')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

/** Withdraw or refresh with an optional note (it goes into the public changelog). */
function NoteModal({ kind, release, onClose, onDone }: { kind: 'withdraw' | 'refresh'; release: Release; onClose: () => void; onDone: (r: Release) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const run = useMutation({
    mutationFn: () => api.post<Release>(`/api/open-data/releases/${release.id}/${kind}`, reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: (r) => {
      onDone(r);
      message.success(t(kind === 'withdraw' ? 'openData.withdrawn' : 'openData.refreshed'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t(kind === 'withdraw' ? 'openData.withdraw' : 'openData.refresh')}
      onCancel={onClose}
      onOk={() => run.mutate()}
      okButtonProps={{ danger: kind === 'withdraw', loading: run.isPending, ...{ 'data-testid': `release-${kind}-confirm` } }}
      data-testid={`release-${kind}-modal`}
    >
      <Typography.Paragraph type="secondary">{t(kind === 'withdraw' ? 'openData.withdrawIntro' : 'openData.refreshIntro')}</Typography.Paragraph>
      <ErrorAlert error={run.error} />
      <Input.TextArea rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('openData.notePlaceholder')} />
    </Modal>
  );
}

export default function OpenDataReleaseDetail() {
  const t = useT();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [modal, setModal] = useState<'withdraw' | 'refresh' | null>(null);
  const key = ['open-data', 'release', id];
  const query = useQuery({ queryKey: key, queryFn: () => api.get<Release>(`/api/open-data/releases/${id}`) });
  const update = (r: Release) => {
    qc.setQueryData(key, r);
    void qc.invalidateQueries({ queryKey: RELEASES_KEY });
  };
  const check = useMutation({
    mutationFn: () => api.post<Release>(`/api/open-data/releases/${id}/check`),
    onSuccess: (r) => {
      update(r);
      message[r.checksPassed ? 'success' : 'warning'](t(r.checksPassed ? 'openData.checks.allPassed' : 'openData.checks.someFailed'));
    },
  });
  const submit = useMutation({
    mutationFn: () => api.post<Release>(`/api/open-data/releases/${id}/submit`),
    onSuccess: (r) => {
      update(r);
      message.success(t('openData.submitted'));
    },
  });

  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => query.refetch()} />;
  const r = query.data;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <Link to="/sharing/open-data">{t('openData.title')}</Link>
            <span>/</span>
            <span data-testid="release-number">{r.number}</span>
            <ReleaseStatusTag status={r.status} />
          </Space>
        }
        extra={
          <Space wrap>
            {r.can.check && (
              <Button onClick={() => check.mutate()} loading={check.isPending} data-testid="release-check">
                {t('openData.runChecks')}
              </Button>
            )}
            {/* A draft's proposer sees the submit button from the start, usable once the checks pass. */}
            {(r.can.submit || (r.status === 'draft' && r.can.check)) && (
              <Button type="primary" onClick={() => submit.mutate()} loading={submit.isPending} disabled={!r.can.submit} data-testid="release-submit">
                {t('openData.submit')}
              </Button>
            )}
            {r.can.refresh && (
              <Button onClick={() => setModal('refresh')} data-testid="release-refresh">
                {t('openData.refresh')}
              </Button>
            )}
            {r.can.withdraw && (
              <Button danger onClick={() => setModal('withdraw')} data-testid="release-withdraw">
                {t('openData.withdraw')}
              </Button>
            )}
            {r.status === 'published' && (
              <Link to={`/open/${r.id}`} target="_blank" data-testid="release-public-link">
                <ExportOutlined /> {t('openData.publicPage')}
              </Link>
            )}
          </Space>
        }
      >
        <ErrorAlert error={check.error ?? submit.error} />
        {r.status === 'draft' && r.can.check && !r.checksPassed && (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('openData.submitNeedsChecks')} />
        )}
        {r.status === 'rejected' && r.reviewReason && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('openData.rejectedBecause', { reason: r.reviewReason })}
            data-testid="release-rejected"
          />
        )}
        <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered data-testid="release-facts">
          <Descriptions.Item label={t('openData.titleLabel')} span={2}>
            <span data-testid="release-title-value">{r.title}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('openData.description')} span={2}>
            {r.description}
          </Descriptions.Item>
          <Descriptions.Item label={t('openData.resource')}>
            <Link to={`/catalog/${r.resource.id}`}>{r.resource.name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('openData.institution')}>{r.institution.name}</Descriptions.Item>
          <Descriptions.Item label={t('openData.fields')} span={2}>
            {r.fields.map((f) => (
              <Tag key={f.name}>{f.name}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('openData.quasiIdentifiers')} span={2}>
            {r.quasiIdentifiers.length === 0
              ? t('openData.noQuasiIdentifiers')
              : r.quasiIdentifiers.map((q) => (
                  <div key={q.field}>
                    <Typography.Text strong>{q.field}</Typography.Text>
                    {t('common.colon')}
                    {describeHierarchy(q.hierarchy, t)}
                  </div>
                ))}
          </Descriptions.Item>
          <Descriptions.Item label="k">{r.k}</Descriptions.Item>
          <Descriptions.Item label={t('openData.maxSuppression')}>{r.maxSuppression}</Descriptions.Item>
          <Descriptions.Item label={t('openData.licence')}>{r.licence}</Descriptions.Item>
          <Descriptions.Item label={t('openData.downloads')}>{r.downloads}</Descriptions.Item>
          <Descriptions.Item label={t('openData.proposedBy')}>
            {r.proposedBy.displayName} · {fmtDateTime(r.createdAt)}
          </Descriptions.Item>
          <Descriptions.Item label={t('openData.submittedBy')}>
            {r.submittedBy ? `${r.submittedBy.displayName} · ${fmtDateTime(r.submittedAt)}` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('openData.reviewedBy')}>
            {r.reviewedBy ? `${r.reviewedBy.displayName} · ${fmtDateTime(r.reviewedAt)}` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('openData.publishedAt')}>{fmtDateTime(r.publishedAt)}</Descriptions.Item>
        </Descriptions>
      </Card>

      {r.can.review && r.status === 'submitted' && <ReviewCard release={r} onDone={update} />}

      <Card title={t('openData.checks.title')} extra={r.checkedAt ? t('openData.checks.ranAt', { at: fmtDateTime(r.checkedAt) }) : undefined}>
        {r.checks ? <ChecksView checks={r.checks} /> : <Empty description={t('openData.checks.notRun')} />}
      </Card>

      <Card title={t('openData.files')}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          data-testid="release-files"
          dataSource={r.files}
          locale={{ emptyText: t('openData.noFiles') }}
          columns={[
            {
              title: t('openData.fileSeq'),
              dataIndex: 'seq',
              width: 90,
              render: (v: number, f) => (
                <Space size={4}>
                  {`v${v}`}
                  {f.id === r.currentFileId && <Tag color="green">{t('openData.current')}</Tag>}
                </Space>
              ),
            },
            { title: t('openData.checks.rows'), dataIndex: 'rows', width: 90, align: 'right' },
            { title: t('openData.fileSize'), dataIndex: 'bytes', width: 100, render: (v: number) => fmtBytes(v) },
            { title: t('openData.datasetVersion'), dataIndex: 'datasetVersion', width: 110 },
            {
              title: 'SM3',
              dataIndex: 'sm3',
              render: (v: string) => (
                <Typography.Text code copyable style={{ fontSize: 12, wordBreak: 'break-all' }}>
                  {v}
                </Typography.Text>
              ),
            },
            { title: t('common.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
            {
              title: t('common.actions'),
              key: 'download',
              width: 90,
              render: (_v, f) => (
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  onClick={() =>
                    api
                      .download(`/api/open-data/releases/${r.id}/files/${f.id}`, `${r.number}-v${f.seq}.csv`)
                      .catch((e: unknown) => message.error(errorMessage(e)))
                  }
                  data-testid="release-file-download"
                />
              ),
            },
          ]}
        />
      </Card>

      <Card title={t('openPortal.changelog')} data-testid="release-changelog">
        {r.changes.length === 0 ? (
          <Empty />
        ) : (
          <Timeline
            items={r.changes.map((c) => ({
              key: `${c.at}-${c.kind}`,
              color: c.kind === 'withdrawn' ? 'red' : c.kind === 'published' ? 'green' : 'blue',
              content: (
                <Space orientation="vertical" size={0} data-testid="release-change">
                  <Space>
                    <Typography.Text strong>{t(CHANGE_LABEL[c.kind])}</Typography.Text>
                    <Typography.Text type="secondary">
                      {fmtDateTime(c.at)}
                      {c.by ? ` · ${c.by.displayName}` : ''}
                    </Typography.Text>
                  </Space>
                  {c.note && <span>{c.note}</span>}
                </Space>
              ),
            }))}
          />
        )}
      </Card>
      {modal && <NoteModal kind={modal} release={r} onClose={() => setModal(null)} onDone={update} />}
    </Space>
  );
}
