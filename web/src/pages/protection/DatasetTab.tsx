// 数据集与加密 tab (LIF-13, PRT-5, CLS-5): what the platform holds of the resource (version, rows, content
// hash, key field), each field's storage (SM4-sealed or clear, by its level's controls; ungraded fields
// fail safe to the strictest), a notice where the grading changed since the last load, the load history,
// and the steward's two ways of loading (a file, a database table).
import { CloudUploadOutlined, DatabaseOutlined, LockOutlined, UnlockOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { LevelTag, useCatalogLabels } from '../../components/catalog.tsx';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { DatasetField, DatasetInfo, DatasetVersion, ResourceKeys } from '../../protectionTypes.ts';
import type { ProtectionAccess } from './access.ts';
import { LoadModal } from './LoadModal.tsx';
import { fmtCount, LOAD_MODE, rowsAwaitingReencryption, SOURCE_KIND } from './labels.ts';
import { PullModal } from './PullModal.tsx';
import { HashText } from './parts.tsx';

function Storage({ sealed, testId }: { sealed: boolean; testId: string }) {
  const t = useT();
  return sealed ? (
    <Tag color="green" icon={<LockOutlined />} data-testid={testId} data-sealed="true">
      {t('protection.field.sealed')}
    </Tag>
  ) : (
    <Tag icon={<UnlockOutlined />} data-testid={testId} data-sealed="false">
      {t('protection.field.clear')}
    </Tag>
  );
}

function FieldStorage({ f, loaded }: { f: DatasetField; loaded: boolean }) {
  const t = useT();
  if (!loaded || f.sealedStored === null) {
    return (
      <Space size={4} wrap>
        <Storage sealed={f.sealedNext} testId="field-storage" />
        <Typography.Text type="secondary">{t('protection.field.onNextLoad')}</Typography.Text>
      </Space>
    );
  }
  return (
    <Space size={4} wrap>
      <Storage sealed={f.sealedStored} testId="field-storage" />
      {f.sealedNext !== f.sealedStored && (
        <Tag color="warning" icon={<WarningOutlined />} data-testid="field-storage-change">
          {f.sealedNext ? t('protection.field.nextSealed') : t('protection.field.nextClear')}
        </Tag>
      )}
    </Space>
  );
}

export function DatasetTab({ dataset, keys, access }: { dataset: DatasetInfo; keys: ResourceKeys; access: ProtectionAccess }) {
  const t = useT();
  const labels = useCatalogLabels();
  const [loading, setLoading] = useState<'file' | 'pull' | null>(null);
  const destroyed = keys.state === 'destroyed';
  const keyVersion = new Map(keys.keys.map((k) => [k.id, k.version]));
  const pending = rowsAwaitingReencryption(keys, dataset);
  const changed = dataset.loaded ? dataset.fields.filter((f) => f.sealedStored !== null && f.sealedStored !== f.sealedNext) : [];
  const failSafe = dataset.fields.some((f) => f.basis === 'fail_safe');

  return (
    <div data-testid="protection-dataset">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 760 }}>
          {t('protection.dataset.intro')}
        </Typography.Paragraph>
        {access.manageDataset && (
          <Tooltip title={destroyed ? t('protection.dataset.destroyedNoLoad') : undefined}>
            <Space wrap>
              <Button type="primary" icon={<CloudUploadOutlined />} disabled={destroyed} onClick={() => setLoading('file')} data-testid="dataset-upload">
                {t('protection.dataset.upload')}
              </Button>
              <Button icon={<DatabaseOutlined />} disabled={destroyed} onClick={() => setLoading('pull')} data-testid="dataset-pull">
                {t('protection.dataset.pull')}
              </Button>
            </Space>
          </Tooltip>
        )}
      </Space>

      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2, xl: 3 }}
        style={{ marginBottom: 16 }}
        data-testid="dataset-summary"
        data-loaded={dataset.loaded ? 'true' : 'false'}
        data-version={dataset.version}
        data-rows={dataset.rowCount}
      >
        <Descriptions.Item label={t('common.status')}>
          {dataset.loaded ? <Tag color="blue">{t('protection.dataset.loaded')}</Tag> : <Tag>{t('protection.dataset.notLoaded')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('protection.dataset.version')}>
          <span data-testid="dataset-version">{dataset.loaded ? `v${dataset.version}` : '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('protection.dataset.rows')}>
          <span data-testid="dataset-rows">{fmtCount(dataset.rowCount)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('protection.dataset.keyField')}>{dataset.keyField ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('protection.dataset.updatedAt')}>{fmtDateTime(dataset.updatedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('protection.dataset.pendingRows')}>
          {pending > 0 ? <Tag color="warning">{t('protection.reencrypt.pending', { n: fmtCount(pending) })}</Tag> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('protection.dataset.contentHash')} span={3}>
          <HashText value={dataset.contentHash} testId="dataset-hash" />
        </Descriptions.Item>
      </Descriptions>

      {changed.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="dataset-grading-changed"
          title={t('protection.dataset.gradingChanged', { fields: changed.map((f) => f.name).join('、') })}
          description={t('protection.dataset.gradingChangedHelp')}
        />
      )}

      <Typography.Title level={5}>{t('protection.dataset.fieldsTitle')}</Typography.Title>
      {failSafe && <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="dataset-fail-safe" title={t('protection.field.failSafeHelp')} />}
      <Table<DatasetField>
        size="small"
        rowKey="name"
        dataSource={dataset.fields}
        pagination={dataset.fields.length > 50 ? { pageSize: 50 } : false}
        style={{ marginBottom: 24 }}
        data-testid="dataset-fields"
        onRow={(f) =>
          ({
            'data-field': f.name,
            'data-sealed-next': String(f.sealedNext),
            'data-sealed-stored': f.sealedStored === null ? '' : String(f.sealedStored),
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('field.name'), dataIndex: 'name', render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
          { title: t('field.dataType'), dataIndex: 'dataType', width: 130, render: (d: string) => labels.dataType(d) },
          {
            title: t('field.level'),
            key: 'level',
            width: 260,
            render: (_v, f) =>
              f.basis === 'fail_safe' ? (
                <Tag color="orange" data-testid="field-fail-safe">
                  {t('protection.field.failSafe')}
                </Tag>
              ) : (
                <LevelTag level={f.level} testId="field-level" />
              ),
          },
          { title: t('protection.field.storage'), key: 'storage', render: (_v, f) => <FieldStorage f={f} loaded={dataset.loaded} /> },
        ]}
      />

      <Typography.Title level={5}>{t('protection.dataset.versionsTitle')}</Typography.Title>
      <Table<DatasetVersion>
        size="small"
        rowKey="id"
        dataSource={dataset.versions}
        pagination={dataset.versions.length > 10 ? { pageSize: 10 } : false}
        data-testid="dataset-versions"
        locale={{ emptyText: t('protection.dataset.noVersions') }}
        onRow={(v) => ({ 'data-version': v.version }) as React.HTMLAttributes<HTMLElement>}
        scroll={{ x: 1100 }}
        columns={[
          {
            title: t('protection.dataset.version'),
            dataIndex: 'version',
            width: 70,
            render: (v: number) => <Typography.Text strong>{`v${v}`}</Typography.Text>,
          },
          { title: t('protection.load.mode'), dataIndex: 'mode', width: 110, render: (m: DatasetVersion['mode']) => t(LOAD_MODE[m].label) },
          {
            title: t('protection.dataset.source'),
            key: 'source',
            render: (_v, v) => (
              <span>
                <Tag>{SOURCE_KIND[v.sourceKind] ?? v.sourceKind}</Tag>
                {v.sourceName && <Typography.Text style={{ wordBreak: 'break-all' }}>{v.sourceName}</Typography.Text>}
              </span>
            ),
          },
          {
            title: t('protection.dataset.changes'),
            key: 'changes',
            width: 200,
            render: (_v, v) =>
              t('protection.dataset.changesText', {
                read: fmtCount(v.rowsRead),
                added: fmtCount(v.rowsAdded),
                updated: fmtCount(v.rowsUpdated),
                removed: fmtCount(v.rowsRemoved),
              }),
          },
          { title: t('protection.dataset.rows'), dataIndex: 'rowCount', width: 90, align: 'right', render: (n: number) => fmtCount(n) },
          {
            title: t('protection.dataset.contentHash'),
            dataIndex: 'contentHash',
            width: 230,
            render: (h: string) => <HashText value={h} short testId="version-hash" />,
          },
          {
            title: t('protection.dataset.sealedFields'),
            key: 'sealed',
            render: (_v, v) =>
              v.sealedFields.length === 0 ? (
                '—'
              ) : (
                <span data-testid="version-sealed">
                  {v.sealedFields.map((f) => (
                    <Tag key={f} color="green">
                      {f}
                    </Tag>
                  ))}
                  {v.keyId && keyVersion.has(v.keyId) && (
                    <Typography.Text type="secondary">{t('protection.dataset.underKey', { version: keyVersion.get(v.keyId) ?? '' })}</Typography.Text>
                  )}
                </span>
              ),
          },
          {
            title: t('protection.dataset.loadedBy'),
            key: 'by',
            width: 220,
            render: (_v, v) => (
              <span>
                {v.createdBy?.displayName ?? '—'}
                <Typography.Text type="secondary" style={{ display: 'block' }}>
                  {fmtDateTime(v.createdAt)}
                </Typography.Text>
              </span>
            ),
          },
        ]}
      />

      {loading === 'file' && <LoadModal dataset={dataset} onClose={() => setLoading(null)} />}
      {loading === 'pull' && <PullModal dataset={dataset} onClose={() => setLoading(null)} />}
    </div>
  );
}
