// LIF-8 (HZ-23, GZ-15) on a share request's page: the 关联分析风险 panel (what the request could be linked with,
// by which PI types, fixed at submission, plus the applicant's declaration and the authority's assessment) and
// the authority's assessment form at the association step, used instead of the plain approve / reject buttons:
// the conclusion decides the decision (not acceptable rejects, with the risks as the reason).
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Radio, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { ASSOCIATION_CODE_LABELS } from '../../../../src/engines/sharing/association.ts';
import { PI_TYPE_LABELS } from '../../../../src/modules/catalog/catalog.constants.ts';
import { ASSESSMENT_CONCLUSION_LABELS, ASSESSOR_KIND_LABELS } from '../../../../src/modules/sharing/requests.schemas.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fmtDateTime, testId } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import type { AssessmentInput, AssociationReason, ShareRequest } from '../../sharingTypes.ts';
import { labelOf } from './labels.ts';
import { StoredFileLink } from './parts.tsx';
import { REQUESTS_KEY } from './RequestsPage.tsx';

const REPORT_MAX_BYTES = 10 * 1024 * 1024;
const CONCLUSION_COLORS: Record<AssessmentInput['conclusion'], string> = {
  acceptable: 'success',
  acceptable_with_measures: 'warning',
  not_acceptable: 'error',
};

/** The file's bytes as base64 (the decision body is JSON). */
function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function AssociationPanel({ request }: { request: ShareRequest }) {
  const t = useT();
  const { pick } = useI18n();
  const a = request.association;
  const assessment = request.associationAssessment;
  if (!a) return null;
  const linked = a.reasons.filter((r) => r.code !== 'DECLARED');
  return (
    <Card title={t('sharing.assoc.panel')} data-testid="request-association" data-flagged={a.flagged ? 'true' : 'false'}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert type={a.flagged ? 'warning' : 'success'} showIcon title={a.flagged ? t('sharing.assoc.flagged') : t('sharing.assoc.notFlagged')} />
        {linked.length > 0 && (
          <Table<AssociationReason>
            rowKey={(r) => `${r.code}:${r.refId ?? ''}`}
            size="small"
            pagination={false}
            dataSource={linked}
            data-testid="association-reasons"
            columns={[
              { title: t('sharing.assoc.linked'), key: 'res', render: (_v, r) => r.resourceName },
              {
                title: t('sharing.assoc.via'),
                dataIndex: 'via',
                width: 110,
                render: (v: AssociationReason['via']) => (v === 'grant' ? t('sharing.assoc.viaGrant') : t('sharing.assoc.viaRequest')),
              },
              { title: t('sharing.assoc.reason'), dataIndex: 'code', render: (v: AssociationReason['code']) => pick(ASSOCIATION_CODE_LABELS[v]) },
              {
                title: t('sharing.assoc.keys'),
                dataIndex: 'keys',
                render: (keys: string[], r) => (
                  <Space size={4} wrap>
                    {keys.map((k) => (
                      <Tag key={k}>{pick(labelOf(PI_TYPE_LABELS, k), k)}</Tag>
                    ))}
                    {r.sensitive && <Tag color="red">{t('sharing.assoc.sensitive')}</Tag>}
                  </Space>
                ),
              },
            ]}
          />
        )}
        {a.declaration?.intended && (
          <Descriptions size="small" bordered column={1} data-testid="association-declaration">
            <Descriptions.Item label={t('sharing.assoc.declaredBy')}>{a.declaration.description ?? t('sharing.assoc.intended')}</Descriptions.Item>
            {a.declaration.selfAssessment && <Descriptions.Item label={t('sharing.assoc.selfAssessment')}>{a.declaration.selfAssessment}</Descriptions.Item>}
          </Descriptions>
        )}
        {assessment && (
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} title={t('sharing.assoc.assessment')} data-testid="association-assessment">
            <Descriptions.Item label={t('sharing.assoc.conclusion')}>
              <Tag color={CONCLUSION_COLORS[assessment.conclusion]}>{pick(ASSESSMENT_CONCLUSION_LABELS[assessment.conclusion])}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.assoc.assessorKind')}>
              {pick(ASSESSOR_KIND_LABELS[assessment.assessorKind])}
              {assessment.assessorOrg ? ` · ${assessment.assessorOrg}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('sharing.assoc.risks')} span={2}>
              {assessment.risks}
            </Descriptions.Item>
            {assessment.measures && (
              <Descriptions.Item label={t('sharing.assoc.measures')} span={2}>
                {assessment.measures}
              </Descriptions.Item>
            )}
            {assessment.reportFileName && (
              <Descriptions.Item label={t('sharing.assoc.reportFile')} span={2}>
                <StoredFileLink
                  path={`/api/share-requests/${request.id}/association-assessment/report`}
                  fileName={assessment.reportFileName}
                  sm3={assessment.reportFileSm3}
                  testId="assoc-report-download"
                />
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('sharing.agreement.signer')} span={2}>
              {assessment.recordedBy.displayName} · {fmtDateTime(assessment.recordedAt)}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Space>
    </Card>
  );
}

interface AssessValues {
  conclusion: AssessmentInput['conclusion'];
  risks: string;
  measures?: string;
  assessorKind: AssessmentInput['assessorKind'];
  assessorOrg?: string;
}

/** The authority's assessment at the association step: the decision follows the conclusion. */
export function AssessmentModal({ request, onClose, onDone }: { request: ShareRequest; onClose: () => void; onDone: (r: ShareRequest) => void }) {
  const t = useT();
  const { pick } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<AssessValues>();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const conclusion = Form.useWatch('conclusion', form);
  const assessorKind = Form.useWatch('assessorKind', form);
  const reject = conclusion === 'not_acceptable';
  const submit = useMutation({
    mutationFn: async (v: AssessValues) => {
      const assessment: AssessmentInput = {
        conclusion: v.conclusion,
        risks: v.risks.trim(),
        assessorKind: v.assessorKind,
        ...(v.measures?.trim() ? { measures: v.measures.trim() } : {}),
        ...(v.assessorOrg?.trim() ? { assessorOrg: v.assessorOrg.trim() } : {}),
        ...(file ? { reportFile: { name: file.name, contentBase64: await toBase64(file) } } : {}),
      };
      return api.post<ShareRequest>(`/api/share-requests/${request.id}/decision`, {
        decision: v.conclusion === 'not_acceptable' ? 'reject' : 'approve',
        assessment,
      });
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: REQUESTS_KEY });
      message.success(t('sharing.assoc.done'));
      onDone(r);
    },
  });
  return (
    <Modal
      open
      width={680}
      title={t('sharing.assoc.assessTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={reject ? t('sharing.assoc.submitReject') : t('sharing.assoc.submitApprove')}
      okButtonProps={{ danger: reject, loading: submit.isPending, ...testId('assess-ok') }}
      destroyOnHidden
    >
      <ErrorAlert error={submit.error} testId="assess-error" />
      <Form<AssessValues>
        form={form}
        layout="vertical"
        initialValues={{ conclusion: 'acceptable_with_measures', assessorKind: 'authority' }}
        onFinish={(v) => submit.mutate(v)}
      >
        <Form.Item name="conclusion" label={t('sharing.assoc.conclusion')} extra={reject ? t('sharing.assoc.rejectHint') : t('sharing.assoc.approveHint')}>
          <Radio.Group
            data-testid="assess-conclusion"
            options={(Object.keys(ASSESSMENT_CONCLUSION_LABELS) as AssessmentInput['conclusion'][]).map((c) => ({
              value: c,
              label: pick(ASSESSMENT_CONCLUSION_LABELS[c]),
            }))}
          />
        </Form.Item>
        <Form.Item name="risks" label={t('sharing.assoc.risks')} rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}>
          <Input.TextArea rows={3} maxLength={4000} data-testid="assess-risks" />
        </Form.Item>
        <Form.Item
          name="measures"
          label={t('sharing.assoc.measures')}
          rules={conclusion === 'acceptable_with_measures' ? [{ required: true, whitespace: true, message: t('sharing.assoc.measuresRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={4000} data-testid="assess-measures" />
        </Form.Item>
        <Space size="large" wrap align="start">
          <Form.Item name="assessorKind" label={t('sharing.assoc.assessorKind')}>
            <Radio.Group
              data-testid="assess-kind"
              options={(Object.keys(ASSESSOR_KIND_LABELS) as AssessmentInput['assessorKind'][]).map((k) => ({
                value: k,
                label: pick(ASSESSOR_KIND_LABELS[k]),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="assessorOrg"
            label={t('sharing.assoc.assessorOrg')}
            rules={assessorKind === 'third_party' ? [{ required: true, whitespace: true, message: t('sharing.apply.required') }] : []}
          >
            <Input maxLength={200} style={{ width: 260 }} data-testid="assess-org" />
          </Form.Item>
        </Space>
        <Form.Item label={t('sharing.assoc.report')} validateStatus={fileError ? 'error' : undefined} help={fileError ?? undefined}>
          <Upload
            maxCount={1}
            beforeUpload={(f) => {
              if (f.size > REPORT_MAX_BYTES) {
                setFileError(t('sharing.assoc.tooLarge'));
                return Upload.LIST_IGNORE;
              }
              setFileError(null);
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          >
            <Button icon={<UploadOutlined />} data-testid="assess-file">
              {t('sharing.assoc.attach')}
            </Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
