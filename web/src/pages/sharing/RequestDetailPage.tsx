// One share request (LIF-4): what is asked for and why, the approval chain as a timeline with due dates
// (overdue in red), the evidence questions and answers, the deciders' approve / reject, the applicant's
// withdrawal, the LIF-8 association risk and assessment (AssociationParts), and — once approved — the agreement with both parties' SM2 signatures and its verification.
import { ArrowLeftOutlined, CheckOutlined, CloseOutlined, DownloadOutlined, EditOutlined, SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, List, Modal, Row, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, withQuery } from '../../api.ts';
import { ErrorAlert, ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { fmtDateTime, testId } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import type { Agreement, AgreementVerification, ShareRequest } from '../../sharingTypes.ts';
import { AssessmentModal, AssociationPanel } from './AssociationParts.tsx';
import { AGREEMENT_STATUS, labelOf, METHOD, PARTY, REQUEST_STATUS } from './labels.ts';
import { StatusTag, StepsTimeline, StoredFileLink, Term } from './parts.tsx';
import { REQUESTS_KEY } from './RequestsPage.tsx';
import { SignModal } from './SignModal.tsx';

type Decision = 'approve' | 'reject';
type Evidence = ShareRequest['evidence'][number];

const requestKey = (id: string) => ['share-request', id] as const;
const agreementKey = (id: string) => ['share-agreement', id] as const;

function DecisionModal({ request, decision, onClose }: { request: ShareRequest; decision: Decision; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason?: string; legalBasis?: string }>();
  const exception = request.currentStep?.kind === 'exception';
  const decide = useMutation({
    mutationFn: (v: { reason?: string; legalBasis?: string }) =>
      api.post<ShareRequest>(`/api/share-requests/${request.id}/decision`, {
        decision,
        ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
        ...(exception && decision === 'approve' && v.legalBasis?.trim() ? { legalBasis: v.legalBasis.trim() } : {}),
      }),
    onSuccess: (r) => {
      qc.setQueryData(requestKey(request.id), r);
      void qc.invalidateQueries({ queryKey: REQUESTS_KEY });
      message.success(decision === 'approve' ? t('sharing.decision.approved') : t('sharing.decision.rejected'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={decision === 'approve' ? t('sharing.decision.approveTitle') : t('sharing.decision.rejectTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ danger: decision === 'reject', loading: decide.isPending, ...testId('decision-ok') }}
      destroyOnHidden
    >
      <ErrorAlert error={decide.error} testId="decision-error" />
      <Form form={form} layout="vertical" onFinish={(v) => decide.mutate(v)}>
        {exception && decision === 'approve' && (
          <Form.Item
            name="legalBasis"
            label={t('sharing.decision.exceptionBasis')}
            rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="decision-legal-basis" />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t('sharing.decision.reason')}
          rules={decision === 'reject' ? [{ required: true, whitespace: true, message: t('sharing.decision.reasonRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="decision-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EvidenceCard({ request }: { request: ShareRequest }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [asking, setAsking] = useState(false);
  const [answering, setAnswering] = useState<Evidence | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [askForm] = Form.useForm<{ question: string }>();
  const [answerForm] = Form.useForm<{ answer: string }>();
  const refresh = (r: ShareRequest) => {
    qc.setQueryData(requestKey(request.id), r);
    void qc.invalidateQueries({ queryKey: REQUESTS_KEY });
  };
  const ask = useMutation({
    mutationFn: (question: string) => api.post<ShareRequest>(`/api/share-requests/${request.id}/evidence`, { question }),
    onSuccess: (r) => {
      refresh(r);
      setAsking(false);
      askForm.resetFields();
      message.success(t('sharing.evidence.asked'));
    },
  });
  const answer = useMutation({
    mutationFn: async ({ ev, text }: { ev: Evidence; text: string }) => {
      const base = `/api/share-requests/${request.id}/evidence/${ev.id}`;
      // With a file, the raw-body route carries the answer too (one step: the answer and its file together).
      if (file) return api.upload<ShareRequest>(withQuery(`${base}/answer-file`, { fileName: file.name, answer: text }), file, 'application/octet-stream');
      return api.post<ShareRequest>(`${base}/answer`, { answer: text });
    },
    onSuccess: (r) => {
      refresh(r);
      setAnswering(null);
      setFile(null);
      answerForm.resetFields();
      message.success(t('sharing.evidence.answered'));
    },
  });
  return (
    <Card
      title={t('sharing.evidence.title')}
      data-testid="request-evidence"
      extra={
        request.can.askEvidence && (
          <Button icon={<EditOutlined />} onClick={() => setAsking(true)} data-testid="evidence-ask">
            {t('sharing.evidence.ask')}
          </Button>
        )
      }
    >
      <List<Evidence>
        dataSource={request.evidence}
        locale={{ emptyText: t('sharing.evidence.none') }}
        renderItem={(ev) => (
          <List.Item
            data-testid="evidence-item"
            actions={
              request.can.answerEvidence && !ev.answeredAt
                ? [
                    <Button key="answer" type="primary" size="small" onClick={() => setAnswering(ev)} data-testid="evidence-answer">
                      {t('sharing.evidence.answer')}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  <span>{ev.question}</span>
                  {!ev.answeredAt && <Tag color="warning">{t('sharing.evidence.waiting')}</Tag>}
                </Space>
              }
              description={
                <Space orientation="vertical" size={2}>
                  <Typography.Text type="secondary">
                    {t('sharing.evidence.askedBy', { by: ev.askedBy.displayName, at: fmtDateTime(ev.askedAt) })}
                  </Typography.Text>
                  {ev.answer && <Typography.Text>{ev.answer}</Typography.Text>}
                  {ev.answeredBy && (
                    <Typography.Text type="secondary">
                      {t('sharing.evidence.answeredBy', { by: ev.answeredBy.displayName, at: fmtDateTime(ev.answeredAt) })}
                    </Typography.Text>
                  )}
                  {ev.fileName && (
                    <Typography.Text type="secondary">
                      {t('sharing.evidence.file')}
                      {t('common.colon')}
                      <StoredFileLink
                        path={`/api/share-requests/${request.id}/evidence/${ev.id}/file`}
                        fileName={ev.fileName}
                        sm3={ev.fileSm3}
                        testId="evidence-file-download"
                      />
                    </Typography.Text>
                  )}
                </Space>
              }
            />
          </List.Item>
        )}
      />
      <Modal
        open={asking}
        title={t('sharing.evidence.ask')}
        onCancel={() => setAsking(false)}
        onOk={() => askForm.submit()}
        okButtonProps={{ loading: ask.isPending, ...testId('evidence-ask-ok') }}
        forceRender
      >
        <ErrorAlert error={ask.error} />
        <Form form={askForm} layout="vertical" onFinish={(v) => ask.mutate(v.question.trim())}>
          <Form.Item
            name="question"
            label={t('sharing.evidence.question')}
            rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="evidence-question" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={answering !== null}
        title={t('sharing.evidence.answer')}
        onCancel={() => setAnswering(null)}
        onOk={() => answerForm.submit()}
        okButtonProps={{ loading: answer.isPending, ...testId('evidence-answer-ok') }}
        forceRender
      >
        {answering && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={answering.question} />}
        <ErrorAlert error={answer.error} />
        <Form form={answerForm} layout="vertical" onFinish={(v) => answering && answer.mutate({ ev: answering, text: v.answer.trim() })}>
          <Form.Item
            name="answer"
            label={t('sharing.evidence.answerText')}
            rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}
          >
            <Input.TextArea rows={4} maxLength={4000} data-testid="evidence-answer-text" />
          </Form.Item>
          <Upload
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          >
            <Button icon={<UploadOutlined />}>{t('sharing.evidence.attach')}</Button>
          </Upload>
        </Form>
      </Modal>
    </Card>
  );
}

function AgreementCard({ request }: { request: ShareRequest }) {
  const t = useT();
  const { pick } = useI18n();
  const qc = useQueryClient();
  const [signing, setSigning] = useState(false);
  const [showText, setShowText] = useState(false);
  const id = request.agreementId as string;
  const q = useQuery({ queryKey: agreementKey(id), queryFn: () => api.get<Agreement>(`/api/share-agreements/${id}`) });
  const verify = useMutation({ mutationFn: () => api.get<AgreementVerification>(`/api/share-agreements/${id}/verify`) });
  const a = q.data;
  return (
    <Card
      title={t('sharing.agreement.title')}
      data-testid="request-agreement"
      extra={
        a && (
          <Space wrap>
            <StatusTag table={AGREEMENT_STATUS} value={a.status} testId="agreement-status" />
            {a.canSignAs && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setSigning(true)} data-testid="agreement-sign">
                {t('sharing.agreement.sign')}
              </Button>
            )}
            <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="agreement-verify">
              {t('sharing.agreement.verify')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => void api.download(`/api/share-agreements/${id}/bundle`, `${a.number}.json`)}
              data-testid="agreement-bundle"
            >
              {t('sharing.agreement.bundle')}
            </Button>
          </Space>
        )
      }
    >
      <ErrorAlert error={q.error ?? verify.error} />
      {a && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('sharing.col.number')}>{a.number}</Descriptions.Item>
            <Descriptions.Item label="SM3">
              <Typography.Text code style={{ wordBreak: 'break-all' }}>
                {a.textSm3}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {verify.data && (
            <Alert
              data-testid="agreement-verify-result"
              type={verify.data.valid ? 'success' : 'error'}
              showIcon
              title={verify.data.valid ? t('sharing.agreement.verifyOk') : t('sharing.agreement.verifyBad')}
              description={verify.data.textSm3Valid ? undefined : t('sharing.agreement.textChanged')}
            />
          )}
          <Table
            rowKey={(s) => `${s.party}:${s.user.id}`}
            size="small"
            pagination={false}
            data-testid="agreement-signatures"
            dataSource={a.signatures}
            locale={{ emptyText: t('sharing.agreement.noSignatures') }}
            columns={[
              { title: t('sharing.agreement.party'), dataIndex: 'party', render: (v: string) => pick(labelOf(PARTY, v)) },
              { title: t('sharing.col.institution'), key: 'inst', render: (_v, s) => s.institution.name },
              { title: t('sharing.agreement.signer'), key: 'user', render: (_v, s) => s.user.displayName },
              {
                title: t('sharing.agreement.fingerprint'),
                dataIndex: 'publicKeyFingerprint',
                render: (v: string) => (
                  <Typography.Text code style={{ fontSize: 12 }} title={v} copyable={{ text: v }}>
                    {v.length > 24 ? `${v.slice(0, 24)}…` : v}
                  </Typography.Text>
                ),
              },
              { title: t('sharing.agreement.signedAt'), dataIndex: 'signedAt', width: 170, render: (v: string) => fmtDateTime(v) },
              {
                title: t('sharing.agreement.valid'),
                dataIndex: 'valid',
                width: 100,
                render: (v: boolean) => (v ? <Tag color="success">{t('common.yes')}</Tag> : <Tag color="error">{t('common.no')}</Tag>),
              },
            ]}
          />
          <Button type="link" style={{ padding: 0 }} onClick={() => setShowText((s) => !s)} data-testid="agreement-toggle-text">
            {showText ? t('sharing.agreement.hideText') : t('sharing.agreement.showText')}
          </Button>
          {showText && (
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', background: '#fafafa', padding: 12, borderRadius: 6 }} data-testid="agreement-text">
              {a.text}
            </Typography.Paragraph>
          )}
          {a.grantId && (
            <Link to={`/sharing/grants/${a.grantId}`} data-testid="agreement-grant-link">
              {t('sharing.agreement.toGrant')}
            </Link>
          )}
        </Space>
      )}
      {a?.canSignAs && (
        <SignModal
          agreement={a}
          party={a.canSignAs}
          open={signing}
          onClose={() => setSigning(false)}
          onSigned={(next) => {
            qc.setQueryData(agreementKey(id), next);
            void qc.invalidateQueries({ queryKey: requestKey(request.id) });
            void qc.invalidateQueries({ queryKey: REQUESTS_KEY });
            setSigning(false);
          }}
        />
      )}
    </Card>
  );
}

export default function RequestDetailPage() {
  const t = useT();
  const { pick } = useI18n();
  const qc = useQueryClient();
  const { modal, message } = App.useApp();
  const { id = '' } = useParams();
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [assessing, setAssessing] = useState(false);
  const q = useQuery({ queryKey: requestKey(id), queryFn: () => api.get<ShareRequest>(`/api/share-requests/${id}`) });
  const withdraw = useMutation({
    mutationFn: () => api.post<ShareRequest>(`/api/share-requests/${id}/withdraw`),
    onSuccess: (r) => {
      qc.setQueryData(requestKey(id), r);
      void qc.invalidateQueries({ queryKey: REQUESTS_KEY });
      message.success(t('sharing.request.withdrawn'));
    },
  });
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <Card>
        <ErrorResult error={q.error} onRetry={() => q.refetch()} />
      </Card>
    );
  const r = q.data;
  const showEvidence = r.evidence.length > 0 || r.can.askEvidence;
  // LIF-8: at the association step the authority decides through the assessment form, not the plain buttons.
  const atAssociation = r.currentStep?.kind === 'association';
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Link to="/sharing/requests" data-testid="request-back">
        <ArrowLeftOutlined /> {t('sharing.request.back')}
      </Link>
      <Card
        data-testid="request-detail"
        title={
          <Space wrap>
            <span data-testid="request-number">{r.number}</span>
            <span>{r.resource.name}</span>
            <StatusTag table={REQUEST_STATUS} value={r.status} testId="request-status" />
          </Space>
        }
        extra={
          <Space wrap>
            {r.can.decide && atAssociation && (
              <Button type="primary" icon={<SafetyCertificateOutlined />} onClick={() => setAssessing(true)} data-testid="request-assess">
                {t('sharing.assoc.assess')}
              </Button>
            )}
            {r.can.decide && !atAssociation && (
              <>
                <Button type="primary" icon={<CheckOutlined />} onClick={() => setDeciding('approve')} data-testid="request-approve">
                  {t('sharing.decision.approve')}
                </Button>
                <Button danger icon={<CloseOutlined />} onClick={() => setDeciding('reject')} data-testid="request-reject">
                  {t('sharing.decision.reject')}
                </Button>
              </>
            )}
            {r.can.withdraw && (
              <Button
                loading={withdraw.isPending}
                onClick={() =>
                  modal.confirm({
                    title: t('sharing.request.withdrawConfirm'),
                    okButtonProps: testId('request-withdraw-ok'),
                    onOk: () => withdraw.mutateAsync(),
                  })
                }
                data-testid="request-withdraw"
              >
                {t('sharing.request.withdraw')}
              </Button>
            )}
            {r.grantId && (
              <Link to={`/sharing/grants/${r.grantId}`} data-testid="request-grant-link">
                <Button>{t('sharing.agreement.toGrant')}</Button>
              </Link>
            )}
          </Space>
        }
      >
        <ErrorAlert error={withdraw.error} />
        {r.status === 'evidence_requested' && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('sharing.request.evidenceBanner')} />}
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} data-testid="request-basic">
          <Descriptions.Item label={t('sharing.col.resource')}>
            <Link to={`/catalog/${r.resource.id}`}>{r.resource.name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.col.provider')}>{r.provider.name}</Descriptions.Item>
          <Descriptions.Item label={t('sharing.col.applicant')}>
            {r.applicant.name} · {r.applicantUser.displayName}
          </Descriptions.Item>
          <Descriptions.Item label={t('common.createdAt')}>{fmtDateTime(r.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('sharing.col.fields')} span={2}>
            <Space size={4} wrap>
              {r.fields.map((f) => (
                <Tag key={f}>{f}</Tag>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.rowFilter')} span={2}>
            {r.rowFilter && r.rowFilter.length > 0
              ? r.rowFilter.map((x) => `${x.field} ${x.op === 'eq' ? '=' : '∈'} ${x.op === 'eq' ? x.value : (x.values ?? []).join('、')}`).join('；')
              : t('sharing.request.allRows')}
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.purpose')} span={2}>
            {r.purpose} <Typography.Text code>{r.purposeCode}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.legalBasis')} span={2}>
            {r.legalBasis}
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.scenario')} span={2}>
            {r.scenario}
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.method')}>{pick(labelOf(METHOD, r.method))}</Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.term')}>
            <Term start={r.termStart} end={r.termEnd} />
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.securityMeasures')} span={2}>
            {r.securityMeasures}
          </Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.ratePerMinute')}>{r.ratePerMinute}</Descriptions.Item>
          <Descriptions.Item label={t('sharing.apply.rowsPerDay')}>{r.rowsPerDay}</Descriptions.Item>
          {r.exception && (
            <Descriptions.Item label={t('sharing.request.exception')} span={2}>
              {typeof r.exception === 'string' ? r.exception : JSON.stringify(r.exception)}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={showEvidence ? 10 : 24}>
          <Card title={t('sharing.request.chain')} style={{ height: '100%' }}>
            <StepsTimeline steps={r.steps} />
          </Card>
        </Col>
        {showEvidence && (
          <Col xs={24} lg={14}>
            <EvidenceCard request={r} />
          </Col>
        )}
      </Row>
      {(r.association?.flagged || r.associationAssessment) && <AssociationPanel request={r} />}
      {r.agreementId && <AgreementCard request={r} />}
      {assessing && (
        <AssessmentModal
          request={r}
          onClose={() => setAssessing(false)}
          onDone={(next) => {
            qc.setQueryData(requestKey(id), next);
            setAssessing(false);
          }}
        />
      )}
      {deciding && <DecisionModal request={r} decision={deciding} onClose={() => setDeciding(null)} />}
    </Space>
  );
}
