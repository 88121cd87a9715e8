// 授权查阅: which institutions a regulator may read (beyond its own subtree), with add and remove.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Popconfirm, Space, Table, Typography } from 'antd';
import { api } from '../../api.ts';
import { ErrorAlert, ErrorResult } from '../../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../../components/institutions.tsx';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { Institution, ReadGrant, ReadGrantCreate } from '../../types.ts';

export function ReadGrantsPanel({ regulator }: { regulator: Institution }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ institutionId?: string; note?: string }>();
  const key = ['institutions', regulator.id, 'read-grants'];
  const grants = useQuery({ queryKey: key, queryFn: () => api.get<ReadGrant[]>(`/api/institutions/${regulator.id}/read-grants`) });
  const add = useMutation({
    mutationFn: (body: ReadGrantCreate) => api.post<ReadGrant>(`/api/institutions/${regulator.id}/read-grants`, body),
    onSuccess: () => {
      message.success(t('grants.added'));
      form.resetFields();
      qc.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (grantId: string) => api.del(`/api/institutions/${regulator.id}/read-grants/${grantId}`),
    onSuccess: () => {
      message.success(t('grants.removed'));
      qc.invalidateQueries({ queryKey: key });
    },
  });

  if (grants.isError) return <ErrorResult error={grants.error} onRetry={() => grants.refetch()} />;
  return (
    <div data-testid="read-grants">
      <Typography.Paragraph type="secondary">{t('grants.intro', { name: regulator.name })}</Typography.Paragraph>
      <ErrorAlert error={add.error ?? remove.error} testId="grant-error" />
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v) => v.institutionId && add.mutate({ institutionId: v.institutionId, ...(v.note?.trim() ? { note: v.note.trim() } : {}) })}
      >
        <Form.Item name="institutionId" rules={[{ required: true, message: t('grants.pickInstitution') }]}>
          <InstitutionTreeSelect
            testId="grant-institution"
            placeholder={t('grants.pickInstitution')}
            style={{ width: 280 }}
            disable={(n) => n.id === regulator.id}
          />
        </Form.Item>
        <Form.Item name="note" rules={[{ max: 200, message: t('validation.max', { n: 200 }) }]}>
          <Input placeholder={t('grants.note')} maxLength={200} style={{ width: 240 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={add.isPending} data-testid="grant-add">
          {t('grants.add')}
        </Button>
      </Form>
      <Table<ReadGrant>
        rowKey="id"
        size="small"
        loading={grants.isPending}
        dataSource={grants.data ?? []}
        pagination={false}
        locale={{ emptyText: t('grants.empty') }}
        columns={[
          { title: t('grants.institution'), dataIndex: 'institutionName' },
          { title: t('common.note'), dataIndex: 'note', render: (n: string | null) => n || '—' },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => fmtDateTime(v) },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_v, g) => (
              <Space>
                <Popconfirm title={t('grants.removeConfirm', { name: g.institutionName })} onConfirm={() => remove.mutate(g.id)}>
                  <Button size="small" danger icon={<DeleteOutlined />} data-testid="grant-remove">
                    {t('common.remove')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
