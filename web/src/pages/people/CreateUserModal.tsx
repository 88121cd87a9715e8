// 新建用户: account data; the initial password (generated unless typed) is shown once afterwards.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../../components/institutions.tsx';
import { OneTimeSecretModal } from '../../components/OneTimeSecret.tsx';
import { testId } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import { useMe } from '../../session.tsx';
import type { User, UserCreate, UserCreated } from '../../types.ts';
import { rules } from '../institutions/profileForm.tsx';

interface Values {
  username: string;
  displayName: string;
  institutionId: string;
  email?: string;
  phone?: string;
  password?: string;
}

export function CreateUserModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (u: User) => void }) {
  const t = useT();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [created, setCreated] = useState<UserCreated | null>(null);
  const create = useMutation({
    mutationFn: (v: Values) => {
      const body: UserCreate = { username: v.username.trim(), displayName: v.displayName.trim(), institutionId: v.institutionId };
      if (v.email?.trim()) body.email = v.email.trim();
      if (v.phone?.trim()) body.phone = v.phone.trim();
      if (v.password) body.password = v.password;
      return api.post<UserCreated>('/api/users', body);
    },
    onSuccess: (res) => {
      qc.invalidateQueries({ queryKey: ['users'] });
      message.success(t('user.created', { name: res.user.displayName }));
      form.resetFields();
      setCreated(res);
    },
  });

  return (
    <>
      <Modal
        open={open && !created}
        title={t('user.create')}
        onCancel={() => {
          create.reset();
          onClose();
        }}
        onOk={() => form.submit()}
        okText={t('common.create')}
        okButtonProps={{ loading: create.isPending, ...testId('user-create-submit') }}
        destroyOnHidden
        width={560}
      >
        <ErrorAlert error={create.error} testId="user-create-error" />
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ institutionId: me.institutionId }}
          onFinish={(v) => create.mutate(v)}
          data-testid="user-create-form"
        >
          <Form.Item
            name="username"
            label={t('user.username')}
            extra={t('user.usernameExtra')}
            rules={[
              { required: true, message: t('validation.required') },
              { min: 3, max: 64, message: t('validation.length', { min: 3, max: 64 }) },
              { pattern: /^[A-Za-z0-9._-]+$/, message: t('validation.username') },
            ]}
          >
            <Input maxLength={64} autoComplete="off" data-testid="user-create-username" />
          </Form.Item>
          <Form.Item name="displayName" label={t('user.displayName')} rules={rules.name(t)}>
            <Input maxLength={100} data-testid="user-create-displayname" />
          </Form.Item>
          <Form.Item name="institutionId" label={t('user.institution')} rules={[{ required: true, message: t('validation.required') }]}>
            <InstitutionTreeSelect testId="user-create-institution" allowClear={false} />
          </Form.Item>
          <Form.Item name="email" label={t('common.email')} rules={rules.email(t)}>
            <Input maxLength={254} data-testid="user-create-email" />
          </Form.Item>
          <Form.Item name="phone" label={t('common.phone')} rules={rules.phone(t)}>
            <Input maxLength={32} data-testid="user-create-phone" />
          </Form.Item>
          <Form.Item name="password" label={t('user.initialPassword')} extra={t('user.initialPasswordExtra')} rules={[{ max: 128 }]}>
            <Input.Password maxLength={128} autoComplete="new-password" data-testid="user-create-password" />
          </Form.Item>
        </Form>
      </Modal>
      <OneTimeSecretModal
        open={!!created}
        title={t('user.createdTitle', { name: created?.user.displayName ?? '' })}
        label={t('user.initialPasswordFor', { username: created?.user.username ?? '' })}
        secret={created?.initialPassword ?? null}
        note={t('user.initialPasswordNote')}
        testId="initial-password"
        onClose={() => {
          const u = created?.user;
          setCreated(null);
          if (u) onCreated(u);
        }}
      />
    </>
  );
}
