// 申请共享 (LIF-4): a data user applies for another institution's published resource from its catalog page —
// the fields needed (minimum necessary), an optional row scope, purpose and its code (every gateway call
// declares it), legal basis, scenario, method, term (≤ 3 years), security measures, limits, and the
// acceptance of liability, and the LIF-8 关联分析 declaration with the applicant's self-check (HZ-23). On an
// error the form keeps what was typed.
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { api, isApiError } from '../../api.ts';
import type { ResourceDetail } from '../../catalogTypes.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { testId } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import type { ShareMethod, ShareRequest, ShareRequestCreate } from '../../sharingTypes.ts';
import { METHOD } from './labels.ts';
import { REQUESTS_KEY } from './RequestsPage.tsx';

interface FormValues {
  fields: string[];
  rowFilter?: { field: string; op: 'eq' | 'in'; values: string[] }[];
  purpose: string;
  purposeCode: string;
  legalBasis: string;
  scenario: string;
  method: ShareMethod;
  term: [Dayjs, Dayjs];
  securityMeasures: string;
  ratePerMinute?: number;
  rowsPerDay?: number;
  liabilityAccepted: boolean;
  /** LIF-8 (HZ-23): the applicant's own declaration of joint/association analysis and its self-check. */
  associationIntended?: boolean;
  associationDescription?: string;
  associationSelfAssessment?: string;
}

const PURPOSE_CODE = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export function ApplyModal({ resource, open, onClose }: { resource: ResourceDetail; open: boolean; onClose: () => void }) {
  const t = useT();
  const { pick } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const intended = Form.useWatch('associationIntended', form);
  const apply = useMutation({
    mutationFn: (body: ShareRequestCreate) => api.post<ShareRequest>('/api/share-requests', body),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: REQUESTS_KEY });
      message.success(t('sharing.apply.done', { number: r.number }));
      onClose();
      navigate(`/sharing/requests/${r.id}`);
    },
    onError: (e) => {
      // Point at the form field the server names (FIELD_UNKNOWN, TERM_INVALID, PURPOSE_CODE_INVALID …).
      const field = isApiError(e) && typeof e.details?.field === 'string' ? e.details.field : null;
      if (field && ['purposeCode', 'purpose', 'legalBasis', 'scenario', 'securityMeasures'].includes(field)) {
        form.setFields([{ name: field as keyof FormValues, errors: [(e as Error).message] }]);
      }
    },
  });
  const submit = (v: FormValues) => {
    const rowFilter = (v.rowFilter ?? [])
      .filter((r) => r.field && r.values?.length)
      .map((r) => (r.op === 'eq' ? { field: r.field, op: 'eq' as const, value: r.values[0] } : { field: r.field, op: 'in' as const, values: r.values }));
    apply.mutate({
      resourceId: resource.id,
      fields: v.fields,
      ...(rowFilter.length > 0 ? { rowFilter } : {}),
      purpose: v.purpose.trim(),
      purposeCode: v.purposeCode.trim(),
      legalBasis: v.legalBasis.trim(),
      scenario: v.scenario.trim(),
      method: v.method,
      termStart: v.term[0].format('YYYY-MM-DD'),
      termEnd: v.term[1].format('YYYY-MM-DD'),
      securityMeasures: v.securityMeasures.trim(),
      liabilityAccepted: true,
      ...(v.ratePerMinute ? { ratePerMinute: v.ratePerMinute } : {}),
      ...(v.rowsPerDay ? { rowsPerDay: v.rowsPerDay } : {}),
      ...(v.associationIntended || v.associationSelfAssessment?.trim()
        ? {
            association: {
              intended: v.associationIntended === true,
              ...(v.associationDescription?.trim() ? { description: v.associationDescription.trim() } : {}),
              ...(v.associationSelfAssessment?.trim() ? { selfAssessment: v.associationSelfAssessment.trim() } : {}),
            },
          }
        : {}),
    } as ShareRequestCreate);
  };
  const fieldOptions = resource.fields.map((f) => ({ value: f.name, label: f.description ? `${f.description}（${f.name}）` : f.name }));
  const today = dayjs();
  return (
    <Modal
      open={open}
      width={760}
      title={t('sharing.apply.title', { name: resource.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('sharing.apply.submit')}
      okButtonProps={{ loading: apply.isPending, ...testId('apply-submit') }}
      forceRender
      data-testid="apply-modal"
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('sharing.apply.intro', { provider: resource.institutionName })} />
      <ErrorAlert error={apply.error} testId="apply-error" />
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ method: 'interface', term: [today, today.add(1, 'year')], fields: [], liabilityAccepted: false }}
      >
        <Form.Item
          name="fields"
          label={t('sharing.apply.fields')}
          extra={t('sharing.apply.fieldsExtra')}
          rules={[{ required: true, type: 'array', min: 1, message: t('sharing.apply.fieldsRequired') }]}
        >
          <Checkbox.Group options={fieldOptions} data-testid="apply-fields" />
        </Form.Item>
        <Form.Item label={t('sharing.apply.rowFilter')} extra={t('sharing.apply.rowFilterExtra')}>
          <Form.List name="rowFilter">
            {(items, { add, remove }) => (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {items.map((item) => (
                  <Space key={item.key} align="baseline" wrap>
                    <Form.Item name={[item.name, 'field']} rules={[{ required: true, message: t('sharing.apply.pickField') }]} noStyle>
                      <Select style={{ width: 200 }} options={fieldOptions} placeholder={t('sharing.apply.pickField')} />
                    </Form.Item>
                    <Form.Item name={[item.name, 'op']} initialValue="eq" noStyle>
                      <Select
                        style={{ width: 110 }}
                        options={[
                          { value: 'eq', label: t('sharing.apply.opEq') },
                          { value: 'in', label: t('sharing.apply.opIn') },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item name={[item.name, 'values']} rules={[{ required: true, message: t('sharing.apply.valueRequired') }]} noStyle>
                      <Select mode="tags" style={{ width: 260 }} placeholder={t('sharing.apply.values')} open={false} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(item.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ op: 'eq' })} data-testid="apply-add-filter">
                  {t('sharing.apply.addFilter')}
                </Button>
              </Space>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="purpose" label={t('sharing.apply.purpose')} rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="apply-purpose" />
        </Form.Item>
        <Form.Item
          name="purposeCode"
          label={t('sharing.apply.purposeCode')}
          extra={t('sharing.apply.purposeCodeExtra')}
          rules={[
            { required: true, message: t('sharing.apply.required') },
            { pattern: PURPOSE_CODE, message: t('sharing.apply.purposeCodeInvalid') },
          ]}
        >
          <Input maxLength={63} placeholder="student-aid.verify" data-testid="apply-purpose-code" />
        </Form.Item>
        <Form.Item name="legalBasis" label={t('sharing.apply.legalBasis')} rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="apply-legal-basis" />
        </Form.Item>
        <Form.Item name="scenario" label={t('sharing.apply.scenario')} rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="apply-scenario" />
        </Form.Item>
        <Space size="large" wrap align="start">
          <Form.Item name="method" label={t('sharing.apply.method')}>
            <Radio.Group options={(Object.keys(METHOD) as ShareMethod[]).map((m) => ({ value: m, label: pick(METHOD[m]) }))} data-testid="apply-method" />
          </Form.Item>
          <Form.Item
            name="term"
            label={t('sharing.apply.term')}
            extra={t('sharing.apply.termExtra')}
            rules={[
              { required: true, message: t('sharing.apply.required') },
              {
                validator: (_r, v?: [Dayjs, Dayjs]) => {
                  const tooLong = v ? v[1].isAfter(v[0].add(3, 'year')) : false;
                  return tooLong ? Promise.reject(new Error(t('sharing.apply.termTooLong'))) : Promise.resolve();
                },
              },
            ]}
          >
            <DatePicker.RangePicker data-testid="apply-term" />
          </Form.Item>
        </Space>
        <Form.Item
          name="securityMeasures"
          label={t('sharing.apply.securityMeasures')}
          rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}
        >
          <Input.TextArea rows={3} maxLength={4000} placeholder={t('sharing.apply.securityMeasuresPlaceholder')} data-testid="apply-security" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="ratePerMinute" label={t('sharing.apply.ratePerMinute')}>
            <InputNumber min={1} max={6000} precision={0} placeholder="60" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="rowsPerDay" label={t('sharing.apply.rowsPerDay')}>
            <InputNumber min={1} max={10_000_000} precision={0} placeholder="100000" style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Form.Item label={t('sharing.assoc.section')} extra={t('sharing.assoc.sectionExtra')} style={{ marginBottom: 8 }}>
          <Form.Item name="associationIntended" valuePropName="checked" noStyle>
            <Checkbox data-testid="apply-association">{t('sharing.assoc.intended')}</Checkbox>
          </Form.Item>
        </Form.Item>
        {intended && (
          <Form.Item
            name="associationDescription"
            label={t('sharing.assoc.description')}
            rules={[{ required: true, whitespace: true, message: t('sharing.apply.required') }]}
          >
            <Input.TextArea rows={2} maxLength={2000} data-testid="apply-association-description" />
          </Form.Item>
        )}
        <Form.Item name="associationSelfAssessment" label={t('sharing.assoc.selfAssessment')}>
          <Input.TextArea rows={2} maxLength={4000} placeholder={t('sharing.assoc.selfAssessmentPlaceholder')} data-testid="apply-association-self" />
        </Form.Item>
        <Form.Item
          name="liabilityAccepted"
          valuePropName="checked"
          rules={[{ validator: (_r, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('sharing.apply.liabilityRequired')))) }]}
        >
          <Checkbox data-testid="apply-liability">{t('sharing.apply.liability')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
