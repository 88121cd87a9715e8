// Shows a secret (initial password, temporary password, API token) exactly once, with a copy button.
import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, Modal, Space, Typography } from 'antd';
import { useT } from '../i18n.tsx';

export function OneTimeSecretModal({
  open,
  title,
  label,
  secret,
  note,
  onClose,
  testId = 'one-time-secret',
}: {
  open: boolean;
  title: string;
  label: string;
  secret: string | null;
  note?: string;
  onClose: () => void;
  testId?: string;
}) {
  const t = useT();
  const { message } = App.useApp();
  const copy = async () => {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      message.success(t('common.copied'));
    } catch {
      message.warning(t('common.copyFailed'));
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid={`${testId}-close`}>
          {t('secret.done')}
        </Button>
      }
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={note ?? t('secret.onceWarning')} />
      <Typography.Text strong>{label}</Typography.Text>
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <Input readOnly value={secret ?? ''} data-testid={testId} style={{ fontFamily: 'monospace' }} />
        <Button icon={<CopyOutlined />} onClick={copy} data-testid={`${testId}-copy`}>
          {t('common.copy')}
        </Button>
      </Space.Compact>
    </Modal>
  );
}
