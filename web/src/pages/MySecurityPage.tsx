// 我的安全设置: change password, TOTP enrol/disable, active sessions, API tokens.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { PERMISSIONS } from '../../../src/modules/org/roles.ts';
import { api, setCsrfToken } from '../api.ts';
import { ErrorAlert, ErrorResult } from '../components/ErrorAlert.tsx';
import { OneTimeSecretModal } from '../components/OneTimeSecret.tsx';
import { ChangePasswordForm, TotpEnrolment } from '../components/security.tsx';
import { fmtDate, fmtDateTime, testId } from '../format.ts';
import { type MessageKey, useT } from '../i18n.tsx';
import { ME_KEY, useMe } from '../session.tsx';
import type { ActiveSession, ApiToken, ApiTokenCreate, ApiTokenCreated, Permission } from '../types.ts';

export const permLabelKey = (p: Permission) => `perm.${p}` as MessageKey;

function TotpTab() {
  const t = useT();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [enrolling, setEnrolling] = useState(false);
  const [form] = Form.useForm<{ password: string; code: string }>();
  const disable = useMutation({
    mutationFn: (v: { password: string; code: string }) => api.post<{ ok: boolean }>('/api/me/totp/disable', v),
    onSuccess: () => {
      message.success(t('totp.disabled'));
      form.resetFields();
      qc.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  if (!me.totpEnabled) {
    return (
      <div>
        <Alert
          type={me.totpRequired ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          title={me.totpRequired ? t('totp.requiredNotEnabled') : t('totp.notEnabled')}
          data-testid="totp-status"
        />
        {enrolling ? (
          <TotpEnrolment
            autoStart
            onDone={() => {
              setEnrolling(false);
              message.success(t('totp.enabled'));
            }}
          />
        ) : (
          <Button type="primary" onClick={() => setEnrolling(true)} data-testid="totp-enrol">
            {t('totp.enrol')}
          </Button>
        )}
      </div>
    );
  }
  return (
    <div style={{ maxWidth: 480 }}>
      <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('totp.isEnabled')} data-testid="totp-status" />
      {me.totpRequired && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('totp.requiredByRole')} />}
      <Typography.Title level={5}>{t('totp.disableTitle')}</Typography.Title>
      <ErrorAlert error={disable.error} testId="totp-disable-error" />
      <Form form={form} layout="vertical" onFinish={(v) => disable.mutate(v)}>
        <Form.Item name="password" label={t('password.current')} rules={[{ required: true, message: t('validation.required') }, { max: 128 }]}>
          <Input.Password autoComplete="current-password" maxLength={128} data-testid="totp-disable-password" />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('totp.code')}
          rules={[
            { required: true, message: t('validation.required') },
            { pattern: /^\d{6}$/, message: t('validation.totp') },
          ]}
        >
          <Input inputMode="numeric" maxLength={6} style={{ width: 140 }} data-testid="totp-disable-code" />
        </Form.Item>
        <Button danger htmlType="submit" loading={disable.isPending} data-testid="totp-disable">
          {t('totp.disable')}
        </Button>
      </Form>
    </div>
  );
}

function SessionsTab() {
  const t = useT();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const sessions = useQuery({ queryKey: ['me', 'sessions'], queryFn: () => api.get<ActiveSession[]>('/api/me/sessions') });
  const revoke = useMutation({
    mutationFn: (s: ActiveSession) => api.del(`/api/me/sessions/${encodeURIComponent(s.id)}`).then(() => s),
    onSuccess: (s) => {
      if (s.current) {
        setCsrfToken(null);
        qc.clear();
        navigate('/login', { replace: true });
        return;
      }
      message.success(t('sessions.revoked'));
      qc.invalidateQueries({ queryKey: ['me', 'sessions'] });
    },
  });
  if (sessions.isError) return <ErrorResult error={sessions.error} onRetry={() => sessions.refetch()} />;
  return (
    <>
      <ErrorAlert error={revoke.error} />
      <Table<ActiveSession>
        rowKey="id"
        size="middle"
        loading={sessions.isPending}
        dataSource={sessions.data ?? []}
        pagination={false}
        data-testid="session-table"
        columns={[
          {
            title: t('sessions.device'),
            dataIndex: 'userAgent',
            render: (ua: string | null, s) => (
              <Space orientation="vertical" size={0}>
                <span>
                  {ua ? (
                    <Typography.Text ellipsis={{ tooltip: ua }} style={{ maxWidth: 360 }}>
                      {ua}
                    </Typography.Text>
                  ) : (
                    '—'
                  )}{' '}
                  {s.current && <Tag color="blue">{t('sessions.current')}</Tag>}
                </span>
              </Space>
            ),
          },
          { title: t('sessions.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
          { title: t('sessions.createdAt'), dataIndex: 'createdAt', render: (v: string) => fmtDateTime(v) },
          { title: t('sessions.lastSeen'), dataIndex: 'lastSeenAt', render: (v: string) => fmtDateTime(v) },
          { title: t('sessions.expiresAt'), dataIndex: 'expiresAt', render: (v: string) => fmtDateTime(v) },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_v, s) => (
              <Popconfirm title={s.current ? t('sessions.revokeCurrentConfirm') : t('sessions.revokeConfirm')} onConfirm={() => revoke.mutate(s)}>
                <Button size="small" danger data-testid="session-revoke">
                  {s.current ? t('sessions.revokeCurrent') : t('sessions.revoke')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </>
  );
}

interface TokenValues {
  name: string;
  scopes: Permission[];
  expiresInDays: number;
}

function TokensTab() {
  const t = useT();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const [form] = Form.useForm<TokenValues>();
  const key = ['me', 'tokens'];
  const tokens = useQuery({ queryKey: key, queryFn: () => api.get<ApiToken[]>('/api/me/tokens') });
  const create = useMutation({
    mutationFn: (v: TokenValues) =>
      api.post<ApiTokenCreated>('/api/me/tokens', { name: v.name.trim(), scopes: v.scopes, expiresInDays: v.expiresInDays } satisfies ApiTokenCreate),
    onSuccess: (r) => {
      setOpen(false);
      form.resetFields();
      setCreated(r);
      qc.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.del(`/api/me/tokens/${id}`),
    onSuccess: () => {
      message.success(t('tokens.revoked'));
      qc.invalidateQueries({ queryKey: key });
    },
  });
  const mine = PERMISSIONS.filter((p) => me.permissions.includes(p));

  if (tokens.isError) return <ErrorResult error={tokens.error} onRetry={() => tokens.refetch()} />;
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="token-create">
          {t('tokens.create')}
        </Button>
        <Typography.Text type="secondary">{t('tokens.intro')}</Typography.Text>
      </Space>
      <ErrorAlert error={revoke.error} />
      <Table<ApiToken>
        rowKey="id"
        size="middle"
        loading={tokens.isPending}
        dataSource={tokens.data ?? []}
        pagination={false}
        data-testid="token-table"
        locale={{ emptyText: t('tokens.empty') }}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          { title: t('tokens.prefix'), dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
          { title: t('tokens.scopes'), dataIndex: 'scopes', render: (s: Permission[]) => s.map((p) => <Tag key={p}>{t(permLabelKey(p))}</Tag>) },
          { title: t('tokens.expiresAt'), dataIndex: 'expiresAt', render: (v: string) => fmtDate(v) },
          { title: t('tokens.lastUsed'), dataIndex: 'lastUsedAt', render: (v: string | null) => fmtDateTime(v) },
          {
            title: t('common.status'),
            key: 'status',
            render: (_v, tk) =>
              tk.revokedAt ? (
                <Tag>{t('tokens.statusRevoked')}</Tag>
              ) : new Date(tk.expiresAt) < new Date() ? (
                <Tag color="orange">{t('tokens.statusExpired')}</Tag>
              ) : (
                <Tag color="green">{t('tokens.statusActive')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_v, tk) =>
              !tk.revokedAt && (
                <Popconfirm title={t('tokens.revokeConfirm', { name: tk.name })} onConfirm={() => revoke.mutate(tk.id)}>
                  <Button size="small" danger icon={<DeleteOutlined />} data-testid="token-revoke">
                    {t('tokens.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('tokens.create')}
        onCancel={() => {
          setOpen(false);
          create.reset();
        }}
        onOk={() => form.submit()}
        okText={t('common.create')}
        okButtonProps={{ loading: create.isPending, ...testId('token-create-submit') }}
        destroyOnHidden
      >
        <ErrorAlert error={create.error} testId="token-create-error" />
        <Form<TokenValues> form={form} layout="vertical" initialValues={{ expiresInDays: 90, scopes: [] }} onFinish={(v) => create.mutate(v)}>
          <Form.Item
            name="name"
            label={t('tokens.name')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { max: 64, message: t('validation.max', { n: 64 }) },
            ]}
          >
            <Input maxLength={64} data-testid="token-name" />
          </Form.Item>
          <Form.Item
            name="scopes"
            label={t('tokens.scopes')}
            extra={t('tokens.scopesExtra')}
            rules={[{ required: true, type: 'array', min: 1, message: t('tokens.scopesRequired') }]}
          >
            <Select<Permission[]> mode="multiple" data-testid="token-scopes" options={mine.map((p) => ({ value: p, label: t(permLabelKey(p)), title: p }))} />
          </Form.Item>
          <Form.Item
            name="expiresInDays"
            label={t('tokens.expiresInDays')}
            rules={[
              { required: true, message: t('validation.required') },
              { type: 'integer', min: 1, max: 365, message: t('validation.range', { min: 1, max: 365 }) },
            ]}
          >
            <InputNumber min={1} max={365} precision={0} suffix={t('common.days')} style={{ width: 160 }} data-testid="token-expires" />
          </Form.Item>
        </Form>
      </Modal>
      <OneTimeSecretModal
        open={!!created}
        title={t('tokens.createdTitle')}
        label={created?.apiToken.name ?? ''}
        secret={created?.token ?? null}
        note={t('tokens.onceNote')}
        testId="token-secret"
        onClose={() => setCreated(null)}
      />
    </>
  );
}

const TABS = ['password', 'totp', 'sessions', 'tokens'] as const;

export default function MySecurityPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as string) : 'password';
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.mySecurity')}
      </Typography.Title>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k })}
          items={[
            { key: 'password', label: <span data-testid="security-tab-password">{t('security.password')}</span>, children: <ChangePasswordForm /> },
            { key: 'totp', label: <span data-testid="security-tab-totp">{t('security.totp')}</span>, children: <TotpTab /> },
            { key: 'sessions', label: <span data-testid="security-tab-sessions">{t('security.sessions')}</span>, children: <SessionsTab /> },
            { key: 'tokens', label: <span data-testid="security-tab-tokens">{t('security.tokens')}</span>, children: <TokensTab /> },
          ]}
        />
      </Card>
    </div>
  );
}
