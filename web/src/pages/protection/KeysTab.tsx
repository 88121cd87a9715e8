// 密钥 tab (PRT-5, FZ-12, LIF-11): the resource's SM4 data key, its versions and states, the rows a
// rotation left under a retired version (with the re-encryption that moves them), and the security
// officer's rotate and destroy actions.
import { DeleteOutlined, KeyOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Popconfirm, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fmtDateTime, testId } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { DataKeyInfo, DatasetInfo, ResourceKeys } from '../../protectionTypes.ts';
import type { ProtectionAccess } from './access.ts';
import { DestroyKeyModal } from './DestroyKeyModal.tsx';
import { fmtCount, keysKey, protectionKey, rowsAwaitingReencryption } from './labels.ts';
import { KeyStateTag, KeyStatusTag } from './parts.tsx';
import { ReencryptPanel } from './ReencryptPanel.tsx';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };

export function KeysTab({ keys, dataset, access }: { keys: ResourceKeys; dataset: DatasetInfo; access: ProtectionAccess }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [destroying, setDestroying] = useState(false);
  const resourceId = keys.resourceId;
  const rotate = useMutation({
    mutationFn: () => api.post<ResourceKeys>(`/api/resources/${resourceId}/keys/rotate`),
    onSuccess: (k) => {
      qc.setQueryData(keysKey(resourceId), k);
      qc.invalidateQueries({ queryKey: protectionKey(resourceId) });
      message.success(t('protection.rotate.done', { version: k.keys.find((x) => x.status === 'active')?.version ?? '—' }));
    },
  });
  const active = keys.keys.find((k) => k.id === keys.activeKeyId) ?? null;
  const destroyed = keys.state === 'destroyed';
  const rowsByKey = new Map(dataset.sealedRowsByKey.map((s) => [s.keyId, s.rows]));
  const pending = rowsAwaitingReencryption(keys, dataset);
  const lastDestroyed = destroyed ? (keys.keys.find((k) => k.destroyedAt) ?? null) : null;

  return (
    <div data-testid="protection-keys">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 760 }}>
          {t('protection.keys.intro')}
        </Typography.Paragraph>
        {access.manageKeys && !destroyed && (
          <Space wrap>
            <Popconfirm
              title={t('protection.rotate.confirmTitle')}
              description={<div style={{ maxWidth: 360 }}>{t('protection.rotate.confirm')}</div>}
              okText={t('protection.rotate.ok')}
              okButtonProps={{ loading: rotate.isPending, ...testId('key-rotate-ok') }}
              onConfirm={() => rotate.mutateAsync().catch(() => undefined)}
            >
              <Button type="primary" icon={<KeyOutlined />} loading={rotate.isPending} data-testid="key-rotate">
                {t('protection.rotate.button')}
              </Button>
            </Popconfirm>
            <Button danger icon={<DeleteOutlined />} onClick={() => setDestroying(true)} data-testid="key-destroy">
              {t('protection.destroy.button')}
            </Button>
          </Space>
        )}
      </Space>
      <ErrorAlert error={rotate.error} testId="key-rotate-error" />

      {keys.state === 'none' && <Alert type="info" showIcon style={{ marginBottom: 16 }} data-testid="key-none" title={t('protection.keys.noneHelp')} />}
      {destroyed && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="key-destroyed"
          title={t('protection.keys.destroyedTitle')}
          description={
            lastDestroyed
              ? t('protection.keys.destroyedBy', {
                  at: fmtDateTime(lastDestroyed.destroyedAt),
                  by: lastDestroyed.destroyedBy?.displayName ?? '—',
                  reason: lastDestroyed.destroyReason ?? '—',
                })
              : undefined
          }
        />
      )}

      <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 4 }} style={{ marginBottom: 16 }} data-testid="key-summary">
        <Descriptions.Item label={t('protection.keys.state')}>
          <KeyStateTag state={keys.state} />
        </Descriptions.Item>
        <Descriptions.Item label={t('protection.keys.activeVersion')}>
          <span data-testid="key-active-version">{active ? `v${active.version}` : '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('protection.keys.algorithm')}>{active?.algorithm ?? keys.keys[0]?.algorithm ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('protection.keys.kek')}>
          {active?.kekId ? <Typography.Text style={mono}>{active.kekId}</Typography.Text> : '—'}
        </Descriptions.Item>
      </Descriptions>

      {!destroyed && <ReencryptPanel resourceId={resourceId} pending={pending} canRun={access.manageKeys} />}

      <Table<DataKeyInfo>
        size="small"
        rowKey="id"
        dataSource={keys.keys}
        pagination={keys.keys.length > 20 ? { pageSize: 20 } : false}
        data-testid="key-versions"
        locale={{ emptyText: t('protection.keys.noVersions') }}
        onRow={(k) => ({ 'data-version': k.version, 'data-status': k.status }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('protection.keys.version'), dataIndex: 'version', width: 70, render: (v: number) => <Typography.Text strong>{`v${v}`}</Typography.Text> },
          { title: t('common.status'), dataIndex: 'status', width: 170, render: (s: DataKeyInfo['status']) => <KeyStatusTag status={s} /> },
          { title: t('protection.keys.algorithm'), dataIndex: 'algorithm', width: 170 },
          {
            title: t('protection.keys.sealedRows'),
            key: 'rows',
            width: 110,
            align: 'right',
            render: (_v, k) => <span data-testid="key-rows">{fmtCount(rowsByKey.get(k.id) ?? 0)}</span>,
          },
          {
            title: t('protection.keys.created'),
            key: 'created',
            render: (_v, k) => `${fmtDateTime(k.createdAt)} · ${k.createdBy?.displayName ?? t('protection.keys.createdByPlatform')}`,
          },
          { title: t('protection.keys.retiredAt'), dataIndex: 'retiredAt', width: 170, render: (v: string | null) => fmtDateTime(v) },
          {
            title: t('protection.keys.destroyed'),
            key: 'destroyed',
            render: (_v, k) =>
              k.destroyedAt ? (
                <span>
                  {`${fmtDateTime(k.destroyedAt)} · ${k.destroyedBy?.displayName ?? '—'}`}
                  {k.destroyReason && (
                    <Typography.Text type="secondary" style={{ display: 'block' }}>
                      {k.destroyReason}
                    </Typography.Text>
                  )}
                </span>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {pending === 0 && keys.keys.some((k) => k.status === 'retired') && !destroyed && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="reencrypt-none">
          {t('protection.reencrypt.nonePending')}
        </Typography.Paragraph>
      )}

      {destroying && <DestroyKeyModal resourceId={resourceId} resourceName={keys.resourceName} onClose={() => setDestroying(false)} />}
    </div>
  );
}
