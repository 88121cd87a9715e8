// 签署协议 (LIF-4): the person reads the data security protection agreement, re-authenticates with the
// password (and the authenticator code when TOTP is enrolled), and the server signs the text with the
// person's own SM2 key. A wrong password keeps the modal open with the server's message.
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { testId } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import { useMe } from '../../session.tsx';
import type { Agreement, Party } from '../../sharingTypes.ts';
import { PARTY } from './labels.ts';

export function SignModal({
  agreement,
  party,
  open,
  onClose,
  onSigned,
}: {
  agreement: Agreement;
  party: Party;
  open: boolean;
  onClose: () => void;
  onSigned: (a: Agreement) => void;
}) {
  const t = useT();
  const { pick } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string; totpCode?: string }>();
  const sign = useMutation({
    mutationFn: (v: { password: string; totpCode?: string }) =>
      // A 401 here (REAUTH_FAILED) answers the password typed; it does not mean the session is gone.
      api.post<Agreement>(
        `/api/share-agreements/${agreement.id}/sign`,
        { password: v.password, ...(v.totpCode ? { totpCode: v.totpCode } : {}) },
        { noAuthRedirect: true },
      ),
    onSuccess: (a) => {
      message.success(t('sharing.sign.done'));
      form.resetFields();
      onSigned(a);
    },
    // The password field is cleared after a failed attempt (never kept in the page); the rest stays.
    onError: () => form.setFieldValue('password', ''),
  });
  return (
    <Modal
      open={open}
      width={820}
      title={t('sharing.sign.title', { number: agreement.number })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('sharing.sign.submit')}
      okButtonProps={{ loading: sign.isPending, ...testId('sign-submit') }}
      destroyOnHidden
      data-testid="sign-modal"
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('sharing.sign.intro', { party: pick(PARTY[party]) })} />
      <div
        data-testid="sign-text"
        style={{ maxHeight: 360, overflow: 'auto', border: '1px solid #f0f0f0', borderRadius: 6, padding: 12, marginBottom: 12, background: '#fafafa' }}
      >
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{agreement.text}</Typography.Paragraph>
      </div>
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 12, wordBreak: 'break-all' }}>
        SM3{t('common.colon')}
        <Typography.Text code>{agreement.textSm3}</Typography.Text>
      </Typography.Text>
      <ErrorAlert error={sign.error} testId="sign-error" />
      <Form form={form} layout="vertical" onFinish={(v) => sign.mutate(v)}>
        <Form.Item name="password" label={t('sharing.sign.password')} rules={[{ required: true, message: t('sharing.sign.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" maxLength={128} data-testid="sign-password" />
        </Form.Item>
        {me.totpEnabled && (
          <Form.Item
            name="totpCode"
            label={t('sharing.sign.totp')}
            rules={[
              { required: true, message: t('sharing.sign.totpRequired') },
              { pattern: /^\d{6}$/, message: t('sharing.sign.totpRequired') },
            ]}
          >
            <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" style={{ width: 160 }} data-testid="sign-totp" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
