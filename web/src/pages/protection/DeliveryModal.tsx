// 生成测试数据副本 (DG-15, PRT-8): the data steward names the recipient and the purpose and picks a format; the
// server masks the dataset by the test rules, marks it for that recipient, records the delivery (audited) and
// answers with the file, which the browser downloads.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Radio, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { testId } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import type { DeliveryCreate, DeliveryFormat } from '../../protectionTypes.ts';
import { deliveriesKey, scenarioLabel } from './maskingLabels.ts';

const FORMATS: { value: DeliveryFormat; label: string }[] = [
  { value: 'csv', label: 'CSV' },
  { value: 'xlsx', label: 'XLSX' },
  { value: 'jsonl', label: 'JSON Lines' },
];

export function DeliveryModal({ resourceId, onClose }: { resourceId: string; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [recipient, setRecipient] = useState('');
  const [purpose, setPurpose] = useState('');
  const [format, setFormat] = useState<DeliveryFormat>('csv');
  const create = useMutation({
    mutationFn: (body: DeliveryCreate) => api.postDownload(`/api/resources/${resourceId}/deliveries`, body, `delivery.${body.format}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: deliveriesKey(resourceId) });
      message.success(t('protection.delivery.done'));
      onClose();
    },
  });
  const ready = recipient.trim().length > 0 && purpose.trim().length > 0;

  return (
    <Modal
      open
      width={620}
      title={t('protection.delivery.create')}
      okText={t('protection.delivery.ok')}
      okButtonProps={{ disabled: !ready, ...testId('delivery-ok') }}
      confirmLoading={create.isPending}
      onOk={() => create.mutate({ scenario: 'test', recipient: recipient.trim(), purpose: purpose.trim(), format })}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="delivery-modal"
    >
      <Typography.Paragraph type="secondary">{t('protection.delivery.intro')}</Typography.Paragraph>
      <ErrorAlert error={create.error} testId="delivery-error" />
      <Form layout="vertical">
        <Form.Item label={t('protection.delivery.scenario')}>
          <Typography.Text>{t(scenarioLabel('test'))}</Typography.Text>
        </Form.Item>
        <Form.Item label={t('protection.delivery.recipient')} extra={t('protection.delivery.recipientExtra')} required>
          <Input value={recipient} maxLength={200} onChange={(e) => setRecipient(e.target.value)} data-testid="delivery-recipient" />
        </Form.Item>
        <Form.Item label={t('protection.delivery.purpose')} required>
          <Input.TextArea rows={2} value={purpose} maxLength={1000} onChange={(e) => setPurpose(e.target.value)} data-testid="delivery-purpose" />
        </Form.Item>
        <Form.Item label={t('protection.delivery.format')}>
          <Radio.Group
            value={format}
            optionType="button"
            onChange={(e) => setFormat(e.target.value as DeliveryFormat)}
            options={FORMATS}
            data-testid="delivery-format"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
