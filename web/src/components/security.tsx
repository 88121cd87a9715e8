// Password change and TOTP enrolment forms, used both by the forced first-login pages and 我的安全设置.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Space, Steps, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { api } from '../api.ts';
import { useT } from '../i18n.tsx';
import { ME_KEY } from '../session.tsx';
import type { PasswordChange, TotpSetup } from '../types.ts';
import { ErrorAlert } from './ErrorAlert.tsx';

/** Character classes present: upper, lower, digit, other. */
export function passwordClasses(pw: string): number {
  return [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
}

interface PwForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function PasswordPolicyHint() {
  const t = useT();
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('password.policyTitle')}
      description={t('password.policy')}
      data-testid="password-policy"
    />
  );
}

export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const [form] = Form.useForm<PwForm>();
  const change = useMutation({
    mutationFn: (body: PasswordChange) => api.post<{ ok: boolean }>('/api/me/password', body),
    onSuccess: async () => {
      form.resetFields();
      await qc.invalidateQueries({ queryKey: ME_KEY });
      onDone?.();
    },
  });
  return (
    <div style={{ maxWidth: 480 }}>
      <PasswordPolicyHint />
      <ErrorAlert error={change.error} testId="password-error" />
      {change.isSuccess && <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('password.changed')} data-testid="password-changed" />}
      <Form<PwForm>
        form={form}
        layout="vertical"
        onFinish={(v) => change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword })}
        disabled={change.isPending}
      >
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('validation.required') }, { max: 128 }]}>
          <Input.Password autoComplete="current-password" data-testid="password-current" maxLength={128} />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          dependencies={['currentPassword']}
          rules={[
            { required: true, message: t('validation.required') },
            { min: 10, message: t('password.tooShort') },
            { max: 128, message: t('validation.max', { n: 128 }) },
            {
              validator: async (_r, v: string | undefined) => {
                if (v && v.length >= 10 && passwordClasses(v) < 3) throw new Error(t('password.classes'));
              },
            },
            ({ getFieldValue }) => ({
              validator: async (_r, v: string | undefined) => {
                if (v && v === getFieldValue('currentPassword')) throw new Error(t('password.sameAsCurrent'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" maxLength={128} />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('validation.required') },
            ({ getFieldValue }) => ({
              validator: async (_r, v: string | undefined) => {
                if (v && v !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" maxLength={128} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="password-submit">
          {t('password.submit')}
        </Button>
      </Form>
    </div>
  );
}

/** TOTP enrolment: get a secret and QR code, scan it, confirm one code. */
export function TotpEnrolment({ autoStart = false, onDone }: { autoStart?: boolean; onDone?: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ code: string }>();
  const setup = useMutation({ mutationFn: () => api.post<TotpSetup>('/api/me/totp/setup') });
  const confirm = useMutation({
    mutationFn: (code: string) => api.post<{ ok: boolean }>('/api/me/totp/confirm', { code }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ME_KEY });
      onDone?.();
    },
  });
  const started = useRef(false);
  useEffect(() => {
    if (autoStart && !started.current) {
      started.current = true;
      setup.mutate();
    }
  }, [autoStart, setup]);

  const data = setup.data;
  return (
    <div data-testid="totp-enrolment">
      <Steps
        size="small"
        current={confirm.isSuccess ? 3 : data ? 1 : 0}
        style={{ marginBottom: 24, maxWidth: 640 }}
        items={[{ title: t('totp.stepGet') }, { title: t('totp.stepScan') }, { title: t('totp.stepConfirm') }]}
      />
      <ErrorAlert error={setup.error} testId="totp-setup-error" />
      {!data && (
        <Button type="primary" onClick={() => setup.mutate()} loading={setup.isPending} data-testid="totp-setup">
          {t('totp.start')}
        </Button>
      )}
      {data && (
        <Space align="start" size={32} wrap>
          <div style={{ textAlign: 'center' }}>
            <img
              src={data.qrDataUrl}
              alt={t('totp.qrAlt')}
              width={200}
              height={200}
              data-testid="totp-qr"
              style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: 8, background: '#fff' }}
            />
          </div>
          <div style={{ maxWidth: 380 }}>
            <Typography.Paragraph>{t('totp.scanHelp')}</Typography.Paragraph>
            <Typography.Paragraph>
              {t('totp.secretLabel')}
              <br />
              <Typography.Text code copyable data-testid="totp-secret" style={{ fontSize: 14, wordBreak: 'break-all' }}>
                {data.secret}
              </Typography.Text>
            </Typography.Paragraph>
            <ErrorAlert error={confirm.error} testId="totp-confirm-error" />
            <Form form={form} layout="inline" onFinish={(v) => confirm.mutate(v.code)} disabled={confirm.isPending}>
              <Form.Item
                name="code"
                label={t('totp.code')}
                rules={[
                  { required: true, message: t('validation.required') },
                  { pattern: /^\d{6}$/, message: t('validation.totp') },
                ]}
              >
                <Input inputMode="numeric" maxLength={6} style={{ width: 120 }} autoComplete="one-time-code" data-testid="totp-code" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={confirm.isPending} data-testid="totp-confirm">
                {t('totp.confirm')}
              </Button>
            </Form>
          </div>
        </Space>
      )}
    </div>
  );
}
