// 人员: server-side paginated list of people with search and filters, create, and the detail drawer.
import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ROLES } from '../../../src/modules/org/roles.ts';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../components/institutions.tsx';
import { serverPagination, useListFilters } from '../components/paging.ts';
import { RoleTag, useRoleLabel } from '../components/roles.tsx';
import { fmtDateTime } from '../format.ts';
import { useT } from '../i18n.tsx';
import { useCan } from '../session.tsx';
import type { Role, User, UserPage } from '../types.ts';
import { CreateUserModal } from './people/CreateUserModal.tsx';
import { UserDrawer } from './people/UserDrawer.tsx';

interface Filters {
  q?: string;
  institutionId?: string;
  role?: Role;
  status?: 'active' | 'disabled';
  page: number;
  pageSize: number;
}

export default function PeoplePage() {
  const t = useT();
  const can = useCan();
  const roleLabel = useRoleLabel();
  const [params, setParams] = useSearchParams();
  const { f, setF, set, qInput, setQInput, reset } = useListFilters<Filters>({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const openId = params.get('user');
  const query = useQuery({
    queryKey: ['users', 'list', f],
    queryFn: () => api.get<UserPage>('/api/users', { ...f }),
    placeholderData: keepPreviousData,
  });
  const open = (id: string | null) => {
    const p = new URLSearchParams(params);
    if (id) p.set('user', id);
    else p.delete('user');
    setParams(p);
  };

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.people')}
        </Typography.Title>
        {can('user.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
            {t('user.create')}
          </Button>
        )}
      </Space>
      <Card size="small">
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('user.searchPlaceholder')}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            maxLength={100}
            style={{ width: 240 }}
            data-testid="user-search"
          />
          <InstitutionTreeSelect
            testId="user-filter-institution"
            value={f.institutionId}
            onChange={(v) => set({ institutionId: v })}
            placeholder={t('user.filterInstitution')}
            style={{ width: 240 }}
          />
          <Select<Role>
            allowClear
            placeholder={t('user.filterRole')}
            style={{ width: 180 }}
            value={f.role}
            onChange={(v) => set({ role: v })}
            options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
            data-testid="user-filter-role"
          />
          <Select<'active' | 'disabled'>
            allowClear
            placeholder={t('common.status')}
            style={{ width: 120 }}
            value={f.status}
            onChange={(v) => set({ status: v })}
            options={[
              { value: 'active', label: t('user.statusActive') },
              { value: 'disabled', label: t('user.statusDisabled') },
            ]}
            data-testid="user-filter-status"
          />
          <Button onClick={reset}>{t('common.reset')}</Button>
        </Space>
        <ErrorAlert error={query.error} />
        <Table<User>
          rowKey="id"
          size="middle"
          data-testid="user-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          onRow={(u) => ({ onClick: () => open(u.id), style: { cursor: 'pointer' } })}
          pagination={serverPagination(f, setF, query.data?.total, t)}
          columns={[
            {
              title: t('user.displayName'),
              dataIndex: 'displayName',
              render: (name: string, u) => (
                <Button type="link" style={{ padding: 0 }} data-testid="user-open">
                  {name}
                  {u.locked && (
                    <Tooltip title={t('user.locked')}>
                      <LockOutlined style={{ color: '#cf1322', marginInlineStart: 6 }} />
                    </Tooltip>
                  )}
                </Button>
              ),
            },
            { title: t('user.username'), dataIndex: 'username' },
            { title: t('user.institution'), dataIndex: 'institutionName' },
            {
              title: t('user.roles'),
              dataIndex: 'roles',
              render: (roles: User['roles']) =>
                roles.length === 0 ? <Typography.Text type="secondary">—</Typography.Text> : roles.map((r) => <RoleTag key={r.id} role={r.role} />),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: User['status'], u) => (
                <Space size={4}>
                  {s === 'active' ? <Tag color="green">{t('user.statusActive')}</Tag> : <Tag>{t('user.statusDisabled')}</Tag>}
                  {u.locked && <Tag color="red">{t('user.locked')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('user.totp'),
              dataIndex: 'totpEnabled',
              render: (on: boolean) => (on ? <Tag color="green">{t('user.totpOn')}</Tag> : <Tag>{t('user.totpOff')}</Tag>),
            },
            { title: t('user.lastLogin'), dataIndex: 'lastLoginAt', render: (v: string | null) => fmtDateTime(v) },
          ]}
        />
      </Card>
      <CreateUserModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(u) => {
          setCreating(false);
          open(u.id);
        }}
      />
      {openId && <UserDrawer id={openId} onClose={() => open(null)} />}
    </div>
  );
}
