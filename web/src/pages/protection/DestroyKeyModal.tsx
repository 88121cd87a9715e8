// 销毁数据密钥 (LIF-11 crypto-shredding): every version of the resource's data key is dropped, so its
// stored data can never be decrypted again. Irreversible: the person types the resource's name and gives the
// reason (kept with the key record and in the audit log); the server checks the name again.
import { ExclamationCircleFilled } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { testId } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { KeyDestroyBody, ResourceKeys } from '../../protectionTypes.ts';
import { keysKey, protectionKey } from './labels.ts';

export function DestroyKeyModal({ resourceId, resourceName, onClose }: { resourceId: string; resourceName: string; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [confirmName, setConfirmName] = useState('');
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: (body: KeyDestroyBody) => api.post<ResourceKeys>(`/api/resources/${resourceId}/keys/destroy`, body),
    onSuccess: (keys) => {
      qc.setQueryData(keysKey(resourceId), keys);
      qc.invalidateQueries({ queryKey: protectionKey(resourceId) });
      message.success(t('protection.destroy.done'));
      onClose();
    },
  });
  const nameOk = confirmName.trim() === resourceName;
  const ready = nameOk && reason.trim().length > 0;

  return (
    <Modal
      open
      width={620}
      title={
        <span>
          <ExclamationCircleFilled style={{ color: '#ff4d4f', marginInlineEnd: 8 }} />
          {t('protection.destroy.title')}
        </span>
      }
      okText={t('protection.destroy.ok')}
      okButtonProps={{ danger: true, disabled: !ready, ...testId('key-destroy-ok') }}
      cancelButtonProps={testId('key-destroy-cancel')}
      confirmLoading={m.isPending}
      onOk={() => m.mutate({ confirmName: confirmName.trim(), reason: reason.trim() })}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="key-destroy-modal"
    >
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="key-destroy-warning"
        title={t('protection.destroy.warningTitle')}
        description={t('protection.destroy.warning')}
      />
      <ErrorAlert error={m.error} testId="key-destroy-error" />
      <Form layout="vertical">
        <Form.Item
          label={
            <span>
              {t('protection.destroy.confirmLabel')}
              <Typography.Text strong copyable={false} style={{ marginInlineStart: 4 }}>
                {resourceName}
              </Typography.Text>
            </span>
          }
          validateStatus={confirmName && !nameOk ? 'error' : undefined}
          help={confirmName && !nameOk ? t('protection.destroy.nameMismatch') : undefined}
        >
          <Input value={confirmName} onChange={(e) => setConfirmName(e.target.value)} autoComplete="off" data-testid="key-destroy-name" />
        </Form.Item>
        <Form.Item label={t('protection.destroy.reason')} extra={t('protection.destroy.reasonExtra')} required>
          <Input.TextArea rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="key-destroy-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
