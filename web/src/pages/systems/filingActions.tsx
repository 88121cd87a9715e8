// Filing actions: 提交登记 (with the date the system went into operation), 报送注销 (date and summary),
// and the authority's 受理 / 退回 (a reason is required to return a filing).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Radio, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, isApiError } from '../../api.ts';
import { FILING_KIND_LABEL, systemFieldLabel } from '../../components/catalog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { testId } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { ClosureBody, ReviewBody, SubmitBody, SystemFiling } from '../../types.ts';

function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    qc.invalidateQueries({ queryKey: ['systems'] });
    qc.invalidateQueries({ queryKey: ['system-filings'] });
    qc.invalidateQueries({ queryKey: ['grading', 'dashboard'] });
  };
}

const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');

/** 提交登记 / 报送注销: kind 'submit' asks for the operation date; 'closure' for the closure date and a summary. */
export function FileModal({
  kind,
  systemId,
  systemName,
  version,
  onClose,
  onEdit,
}: {
  kind: 'submit' | 'closure';
  systemId: string;
  systemName: string;
  version?: number;
  onClose: () => void;
  /** Opens the registration form (offered when the server says fields are missing). */
  onEdit?: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const invalidate = useInvalidate();
  const [form] = Form.useForm<{ eventDate: Dayjs; summary?: string }>();
  const m = useMutation({
    mutationFn: (v: { eventDate: Dayjs; summary?: string }) => {
      const eventDate = v.eventDate.format('YYYY-MM-DD');
      if (kind === 'submit') return api.post<SystemFiling>(`/api/systems/${systemId}/submit`, { eventDate } satisfies SubmitBody);
      return api.post<SystemFiling>(`/api/systems/${systemId}/closure`, { eventDate, summary: (v.summary ?? '').trim(), version } satisfies ClosureBody);
    },
    onSuccess: (filing) => {
      invalidate();
      message.success(filing?.late ? t('filing.filedLate', { date: filing.deadline }) : t('filing.filed'));
      onClose();
    },
  });
  const missing = isApiError(m.error, 'REGISTRATION_INCOMPLETE') && Array.isArray(m.error.details?.missing) ? (m.error.details.missing as string[]) : [];
  return (
    <Modal
      open
      title={kind === 'submit' ? t('system.submitTitle', { name: systemName }) : t('system.closureTitle', { name: systemName })}
      okText={kind === 'submit' ? t('system.submit') : t('system.fileClosure')}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={testId('file-modal-ok')}
      data-testid="file-modal"
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('system.deadlineRule')} />
      <ErrorAlert error={m.error} testId="file-modal-error" />
      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="file-modal-missing"
          title={t('system.missingFields')}
          description={missing.map((f) => systemFieldLabel(t, f)).join('、')}
          action={
            onEdit ? (
              <Button size="small" onClick={onEdit} data-testid="file-modal-edit">
                {t('system.goEdit')}
              </Button>
            ) : undefined
          }
        />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item
          name="eventDate"
          label={kind === 'submit' ? t('system.operationDate') : t('system.closureDate')}
          extra={t('system.eventDateExtra')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <DatePicker style={{ width: 220 }} disabledDate={notFuture} data-testid="file-modal-date" />
        </Form.Item>
        {kind === 'closure' && (
          <Form.Item
            name="summary"
            label={t('system.closureSummary')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { max: 2000, message: t('validation.max', { n: 2000 }) },
            ]}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="file-modal-summary" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 受理 / 退回 a pending filing. */
export function ReviewModal({ filing, initial, onClose }: { filing: SystemFiling; initial: ReviewBody['decision']; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const invalidate = useInvalidate();
  const [form] = Form.useForm<ReviewBody>();
  const decision = Form.useWatch('decision', form) ?? initial;
  const m = useMutation({
    mutationFn: (v: ReviewBody) =>
      api.post<SystemFiling>(`/api/system-filings/${filing.id}/review`, { decision: v.decision, reason: v.reason?.trim() || undefined } satisfies ReviewBody),
    onSuccess: (_r, v) => {
      invalidate();
      message.success(v.decision === 'accept' ? t('review.acceptedMsg') : t('review.returnedMsg'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('review.title', { name: filing.systemName ?? '', kind: t(FILING_KIND_LABEL[filing.kind]) })}
      okText={decision === 'accept' ? t('review.accept') : t('review.return')}
      okButtonProps={{ danger: decision === 'return', ...testId('review-ok') }}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="review-modal"
    >
      <Typography.Paragraph type="secondary">
        {t('review.facts', { eventDate: filing.eventDate, deadline: filing.deadline })}
        {filing.late && <Typography.Text type="danger">{` ${t('filing.lateLong')}`}</Typography.Text>}
      </Typography.Paragraph>
      <ErrorAlert error={m.error} testId="review-error" />
      <Form<ReviewBody> form={form} layout="vertical" initialValues={{ decision: initial }} onFinish={(v) => m.mutate(v)}>
        <Form.Item name="decision" label={t('review.decision')}>
          <Radio.Group
            data-testid="review-decision"
            options={[
              { value: 'accept', label: t('review.accept') },
              { value: 'return', label: t('review.return') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('review.reason')}
          rules={[
            { required: decision === 'return', whitespace: true, message: t('review.reasonRequired') },
            { max: 2000, message: t('validation.max', { n: 2000 }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="review-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
