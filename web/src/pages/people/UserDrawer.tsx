// User detail: profile edit, enable/disable, reset password, unlock, and role assignments.
import { DeleteOutlined, KeyOutlined, PlusOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Popconfirm, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { ASSIGNABLE_BY, PRIVILEGED_ROLES, ROLES } from '../../../../src/modules/org/roles.ts';
import { api } from '../../api.ts';
import { ErrorAlert, ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { InstitutionTreeSelect, KindTag, useInstitutionTree, useOrgLabels } from '../../components/institutions.tsx';
import { OneTimeSecretModal } from '../../components/OneTimeSecret.tsx';
import { RoleTag, useRoleCatalog, useRoleLabel } from '../../components/roles.tsx';
import { fmtDateTime } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { useCan, useMe } from '../../session.tsx';
import type { PasswordIssued, Role, RoleAssign, RoleAssignment, User, UserUpdate } from '../../types.ts';
import { rules } from '../institutions/profileForm.tsx';

const userKey = (id: string) => ['users', 'detail', id] as const;

function useUserMutations(id: string) {
  const qc = useQueryClient();
  const done = (u?: User) => {
    if (u) qc.setQueryData(userKey(id), u);
    else qc.invalidateQueries({ queryKey: userKey(id) });
    qc.invalidateQueries({ queryKey: ['users', 'list'] });
  };
  return { done };
}

function ProfileTab({ user }: { user: User }) {
  const { t } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  const { done } = useUserMutations(user.id);
  const [form] = Form.useForm<{ displayName: string; email?: string; phone?: string }>();
  const save = useMutation({
    mutationFn: (v: { displayName: string; email?: string; phone?: string }) => {
      const body: UserUpdate = { displayName: v.displayName.trim(), email: v.email?.trim() || null, phone: v.phone?.trim() || null };
      return api.patch<User>(`/api/users/${user.id}`, body);
    },
    onSuccess: (u) => {
      message.success(t('common.saved'));
      done(u);
    },
  });
  const editable = can('user.manage');
  return (
    <>
      <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('user.username')}>{user.username}</Descriptions.Item>
        <Descriptions.Item label={t('user.institution')}>
          <Space>
            {user.institutionName}
            <KindTag kind={user.institutionKind} />
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('common.createdAt')}>{fmtDateTime(user.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('user.lastLogin')}>{fmtDateTime(user.lastLoginAt)}</Descriptions.Item>
        <Descriptions.Item label={t('user.passwordChangedAt')}>{fmtDateTime(user.passwordChangedAt)}</Descriptions.Item>
      </Descriptions>
      <ErrorAlert error={save.error} testId="user-save-error" />
      <Form
        form={form}
        layout="vertical"
        disabled={!editable}
        initialValues={{ displayName: user.displayName, email: user.email ?? '', phone: user.phone ?? '' }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="displayName" label={t('user.displayName')} rules={rules.name(t)}>
          <Input maxLength={100} data-testid="user-edit-displayname" />
        </Form.Item>
        <Form.Item name="email" label={t('common.email')} rules={rules.email(t)}>
          <Input maxLength={254} />
        </Form.Item>
        <Form.Item name="phone" label={t('common.phone')} rules={rules.phone(t)}>
          <Input maxLength={32} />
        </Form.Item>
        {editable && (
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="user-save">
            {t('common.save')}
          </Button>
        )}
      </Form>
    </>
  );
}

function AccountTab({ user }: { user: User }) {
  const { t } = useI18n();
  const can = useCan();
  const me = useMe();
  const { message } = App.useApp();
  const { done } = useUserMutations(user.id);
  const [temp, setTemp] = useState<string | null>(null);
  const setStatus = useMutation({
    mutationFn: (status: 'active' | 'disabled') => api.patch<User>(`/api/users/${user.id}`, { status } satisfies UserUpdate),
    onSuccess: (u) => {
      message.success(u.status === 'active' ? t('user.enabled') : t('user.disabled'));
      done(u);
    },
  });
  const reset = useMutation({
    mutationFn: () => api.post<PasswordIssued>(`/api/users/${user.id}/reset-password`),
    onSuccess: (r) => {
      setTemp(r.temporaryPassword);
      done();
    },
  });
  const unlock = useMutation({
    mutationFn: () => api.post<User>(`/api/users/${user.id}/unlock`),
    onSuccess: (u) => {
      message.success(t('user.unlocked'));
      done(u);
    },
  });
  const manage = can('user.manage');
  const self = user.id === me.id;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ErrorAlert error={setStatus.error ?? reset.error ?? unlock.error} testId="user-account-error" />
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('user.accountStatus')}>
          <Space>
            {manage && !self ? (
              <Popconfirm
                title={user.status === 'active' ? t('user.disableConfirm', { name: user.displayName }) : t('user.enableConfirm', { name: user.displayName })}
                onConfirm={() => setStatus.mutate(user.status === 'active' ? 'disabled' : 'active')}
              >
                <Switch
                  checked={user.status === 'active'}
                  loading={setStatus.isPending}
                  checkedChildren={t('user.statusActive')}
                  unCheckedChildren={t('user.statusDisabled')}
                  data-testid="user-status-toggle"
                />
              </Popconfirm>
            ) : user.status === 'active' ? (
              <Tag color="green">{t('user.statusActive')}</Tag>
            ) : (
              <Tag>{t('user.statusDisabled')}</Tag>
            )}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('user.lockState')}>
          {user.locked ? (
            <Space>
              <Tag color="red">{t('user.lockedUntil', { time: fmtDateTime(user.lockedUntil) })}</Tag>
              {manage && (
                <Button size="small" icon={<UnlockOutlined />} loading={unlock.isPending} onClick={() => unlock.mutate()} data-testid="user-unlock">
                  {t('user.unlock')}
                </Button>
              )}
            </Space>
          ) : (
            <Tag color="green">{t('user.notLocked')}</Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('user.totp')}>
          {user.totpEnabled ? <Tag color="green">{t('user.totpOn')}</Tag> : <Tag>{t('user.totpOff')}</Tag>}
        </Descriptions.Item>
      </Descriptions>
      {manage && (
        <div>
          <Popconfirm title={t('user.resetConfirm', { name: user.displayName })} description={t('user.resetConfirmDetail')} onConfirm={() => reset.mutate()}>
            <Button icon={<KeyOutlined />} loading={reset.isPending} data-testid="user-reset-password">
              {t('user.resetPassword')}
            </Button>
          </Popconfirm>
        </div>
      )}
      <OneTimeSecretModal
        open={!!temp}
        title={t('user.tempPasswordTitle')}
        label={t('user.tempPasswordFor', { username: user.username })}
        secret={temp}
        note={t('user.tempPasswordNote')}
        testId="temporary-password"
        onClose={() => setTemp(null)}
      />
    </Space>
  );
}

function RolesTab({ user }: { user: User }) {
  const { t } = useI18n();
  const orgLabels = useOrgLabels();
  const can = useCan();
  const me = useMe();
  const { message } = App.useApp();
  const { done } = useUserMutations(user.id);
  const roleLabel = useRoleLabel();
  const catalog = useRoleCatalog();
  const tree = useInstitutionTree();
  const [form] = Form.useForm<{ role?: Role; institutionId?: string }>();
  const chosenInst = Form.useWatch('institutionId', form);
  const chosenRole = Form.useWatch('role', form);
  const assign = useMutation({
    mutationFn: (body: RoleAssign) => api.post<RoleAssignment>(`/api/users/${user.id}/roles`, body),
    onSuccess: (a) => {
      message.success(t('roles.assigned', { role: roleLabel(a.role) }));
      form.resetFields(['role']);
      done();
    },
  });
  const remove = useMutation({
    mutationFn: (assignmentId: string) => api.del(`/api/users/${user.id}/roles/${assignmentId}`),
    onSuccess: () => {
      message.success(t('roles.removed'));
      done();
    },
  });

  // Roles I may hand out (the server has the last word: no self-escalation).
  const assignable = useMemo(() => {
    const s = new Set<Role>();
    for (const r of me.roles) for (const a of ASSIGNABLE_BY[r.role] ?? []) s.add(a);
    return s;
  }, [me.roles]);
  const instKind = tree.data?.find((n) => n.id === (chosenInst ?? user.institutionId))?.kind;
  const entries =
    catalog.data ??
    ROLES.map((role) => ({ role, zh: '', en: '', privileged: PRIVILEGED_ROLES.has(role), dutyGroup: null, institutionKinds: [], permissions: [] }));
  const vendorPrivileged = user.institutionKind === 'vendor' && chosenRole && PRIVILEGED_ROLES.has(chosenRole);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ErrorAlert error={remove.error} testId="role-remove-error" />
      <Table<User['roles'][number]>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={user.roles}
        data-testid="role-list"
        locale={{ emptyText: t('roles.none') }}
        columns={[
          { title: t('roles.role'), dataIndex: 'role', render: (r: Role) => <RoleTag role={r} /> },
          { title: t('roles.institution'), dataIndex: 'institutionName' },
          { title: t('roles.grantedAt'), dataIndex: 'createdAt', render: (v: string) => fmtDateTime(v) },
          ...(can('role.assign')
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 90,
                  render: (_v: unknown, a: User['roles'][number]) => (
                    <Popconfirm title={t('roles.removeConfirm', { role: roleLabel(a.role) })} onConfirm={() => remove.mutate(a.id)}>
                      <Button size="small" danger icon={<DeleteOutlined />} data-testid="role-remove">
                        {t('common.remove')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      {can('role.assign') && (
        <div data-testid="role-assign-panel">
          <Typography.Title level={5}>{t('roles.assign')}</Typography.Title>
          {assign.error ? (
            <ErrorAlert error={assign.error} testId="role-assign-error" onClose={() => assign.reset()} />
          ) : (
            vendorPrivileged && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('roles.vendorHint')} />
          )}
          <Form
            form={form}
            layout="vertical"
            initialValues={{ institutionId: user.institutionId }}
            onValuesChange={() => assign.error && assign.reset()}
            onFinish={(v) => v.role && v.institutionId && assign.mutate({ role: v.role, institutionId: v.institutionId })}
          >
            <Form.Item name="role" label={t('roles.role')} rules={[{ required: true, message: t('roles.pickRole') }]}>
              <Select<Role>
                data-testid="role-assign-role"
                placeholder={t('roles.pickRole')}
                loading={catalog.isPending}
                options={entries.map((e) => {
                  const notHere = !!instKind && e.institutionKinds.length > 0 && !e.institutionKinds.includes(instKind);
                  const notMine = !assignable.has(e.role);
                  return {
                    value: e.role,
                    disabled: notMine,
                    label: (
                      <Space size={4}>
                        {roleLabel(e.role)}
                        {e.privileged && <Tag color="volcano">{t('roles.privilegedShort')}</Tag>}
                        {notMine && <Typography.Text type="secondary">{t('roles.notAssignableByMe')}</Typography.Text>}
                        {!notMine && notHere && <Typography.Text type="warning">{t('roles.notForKind', { kind: orgLabels.kind(instKind) })}</Typography.Text>}
                      </Space>
                    ),
                  };
                })}
              />
            </Form.Item>
            <Form.Item
              name="institutionId"
              label={t('roles.institution')}
              rules={[{ required: true, message: t('validation.required') }]}
              extra={t('roles.institutionExtra')}
            >
              <InstitutionTreeSelect testId="role-assign-institution" allowClear={false} />
            </Form.Item>
            <Tooltip title={assignable.size === 0 ? t('roles.cannotAssign') : undefined}>
              <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={assign.isPending} data-testid="role-assign">
                {t('roles.assignSubmit')}
              </Button>
            </Tooltip>
          </Form>
        </div>
      )}
    </Space>
  );
}

export function UserDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useI18n();
  const q = useQuery({ queryKey: userKey(id), queryFn: () => api.get<User>(`/api/users/${id}`) });
  const user = q.data;
  return (
    <Drawer
      open
      size={680}
      onClose={onClose}
      destroyOnHidden
      data-testid="user-drawer"
      title={
        user ? (
          <Space>
            <span data-testid="user-drawer-name">{user.displayName}</span>
            <Typography.Text type="secondary">{user.username}</Typography.Text>
            {user.status === 'disabled' && <Tag>{t('user.statusDisabled')}</Tag>}
            {user.locked && <Tag color="red">{t('user.locked')}</Tag>}
          </Space>
        ) : (
          t('user.detail')
        )
      }
    >
      {q.isPending && <Loading />}
      {q.isError && <ErrorResult error={q.error} onRetry={() => q.refetch()} />}
      {user && (
        <Tabs
          key={user.id}
          items={[
            {
              key: 'profile',
              label: <span data-testid="user-tab-profile">{t('user.tabProfile')}</span>,
              children: <ProfileTab key={`${user.id}-p`} user={user} />,
            },
            { key: 'account', label: <span data-testid="user-tab-account">{t('user.tabAccount')}</span>, children: <AccountTab user={user} /> },
            { key: 'roles', label: <span data-testid="user-tab-roles">{t('user.tabRoles')}</span>, children: <RolesTab user={user} /> },
          ]}
        />
      )}
    </Drawer>
  );
}
