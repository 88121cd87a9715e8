// 数据交付与水印 tab (DG-15, PRT-8, PRT-4): who got which copy of the resource's data, when, for what, in which
// format, from which dataset version, with the file's SM3 hash; per delivery its watermark (which fields carry
// which mark, which were left alone and why, the notes that go with the data) and each field's masking. The
// data steward produces a new test copy here (downloaded at once).
import { ExportOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { fmtDateTime } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import type { DatasetInfo, DeliveryInfo, MaskScenario, ResourceKeys } from '../../protectionTypes.ts';
import type { ProtectionAccess } from './access.ts';
import { DeliveryModal } from './DeliveryModal.tsx';
import { fmtCount } from './labels.ts';
import { carrierLabel, deliveriesKey, isMaskScenario, methodLabel, scenarioLabel, skipLabel } from './maskingLabels.ts';
import { HashText } from './parts.tsx';

function WatermarkTag({ d }: { d: DeliveryInfo }) {
  const { t } = useI18n();
  return d.watermark.traceable ? (
    <Tag color="green" data-testid="delivery-traceable" data-traceable="true">
      {t('protection.delivery.traceable')}
    </Tag>
  ) : (
    <Tag color="warning" data-testid="delivery-traceable" data-traceable="false">
      {t('protection.delivery.notTraceable')}
    </Tag>
  );
}

/** The watermark and masking of one delivery: carriers by field, fields left unmarked, notes for the recipient. */
function DeliveryDetail({ d }: { d: DeliveryInfo }) {
  const { t } = useI18n();
  return (
    <div data-testid="delivery-detail" data-delivery-id={d.id}>
      <Descriptions size="small" bordered column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('protection.delivery.carriers')}>
          {d.watermark.carriers.length === 0 ? (
            '—'
          ) : (
            <Space orientation="vertical" size={2}>
              {d.watermark.carriers.map((c) => (
                <span key={c.field} data-testid="delivery-carrier" data-field={c.field} data-carriers={c.carriers.join(',')}>
                  <Typography.Text code>{c.field}</Typography.Text>
                  {c.carriers.map((k) => (
                    <Tag key={k} color="cyan">
                      {carrierLabel(t, k)}
                    </Tag>
                  ))}
                </span>
              ))}
            </Space>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('protection.delivery.skipped')}>
          {d.watermark.skipped.length === 0 ? (
            '—'
          ) : (
            <Space wrap size={[12, 4]}>
              {d.watermark.skipped.map((s) => (
                <span key={s.name} data-testid="delivery-skipped" data-field={s.name} data-reason={s.reason}>
                  <Typography.Text code>{s.name}</Typography.Text>
                  <Typography.Text type="secondary">{skipLabel(t, s.reason)}</Typography.Text>
                </span>
              ))}
            </Space>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('protection.delivery.masking')}>
          <Space wrap size={[12, 4]}>
            {d.masking.map((m) => (
              <span key={m.field} data-testid="delivery-masking" data-field={m.field} data-method={m.method}>
                <Typography.Text code>{m.field}</Typography.Text>
                {methodLabel(t, m.method)}
              </span>
            ))}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('protection.delivery.purpose')}>{d.purpose}</Descriptions.Item>
        <Descriptions.Item label={t('protection.delivery.fileSm3')}>
          <HashText value={d.fileSm3} testId="delivery-hash" />
        </Descriptions.Item>
      </Descriptions>
      <Alert
        type={d.watermark.notes.length > 0 ? 'info' : 'success'}
        showIcon
        data-testid="delivery-notes"
        title={t('protection.delivery.notes')}
        description={
          d.watermark.notes.length > 0 ? (
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {d.watermark.notes.map((n) => (
                <li key={n} data-testid="delivery-note">
                  {n}
                </li>
              ))}
            </ul>
          ) : (
            t('protection.delivery.noNotes')
          )
        }
      />
    </div>
  );
}

export function DeliveriesTab({
  resourceId,
  dataset,
  keys,
  access,
}: {
  resourceId: string;
  dataset: DatasetInfo;
  keys: ResourceKeys;
  access: ProtectionAccess;
}) {
  const { t } = useI18n();
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: deliveriesKey(resourceId), queryFn: () => api.get<DeliveryInfo[]>(`/api/resources/${resourceId}/deliveries`) });
  const destroyed = keys.state === 'destroyed';
  const blocked = destroyed ? t('protection.delivery.destroyed') : !dataset.loaded ? t('protection.delivery.notLoaded') : null;

  if (list.isError) return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />;
  if (!list.data) return <Loading />;

  return (
    <div data-testid="protection-deliveries">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 760 }}>
          {t('protection.delivery.intro')}
        </Typography.Paragraph>
        {access.manageDataset && (
          <Tooltip title={blocked ?? undefined}>
            <Button type="primary" icon={<ExportOutlined />} disabled={!!blocked} onClick={() => setCreating(true)} data-testid="delivery-create">
              {t('protection.delivery.create')}
            </Button>
          </Tooltip>
        )}
      </Space>

      <Table<DeliveryInfo>
        size="small"
        rowKey="id"
        dataSource={list.data}
        pagination={list.data.length > 20 ? { pageSize: 20 } : false}
        data-testid="deliveries"
        locale={{ emptyText: t('protection.delivery.none') }}
        scroll={{ x: 1100 }}
        onRow={(d) => ({ 'data-delivery-id': d.id, 'data-recipient': d.recipient }) as React.HTMLAttributes<HTMLElement>}
        expandable={{ expandedRowRender: (d) => <DeliveryDetail d={d} />, rowExpandable: () => true }}
        columns={[
          { title: t('protection.delivery.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
          {
            title: t('protection.delivery.recipient'),
            dataIndex: 'recipient',
            render: (v: string) => (
              <Typography.Text strong data-testid="delivery-recipient-cell">
                {v}
              </Typography.Text>
            ),
          },
          { title: t('protection.delivery.purpose'), dataIndex: 'purpose', ellipsis: true },
          {
            title: t('protection.delivery.scenario'),
            dataIndex: 'scenario',
            width: 100,
            render: (s: string) => (isMaskScenario(s) ? t(scenarioLabel(s as MaskScenario)) : s),
          },
          { title: t('protection.delivery.format'), dataIndex: 'format', width: 80, render: (f: string) => f.toUpperCase() },
          { title: t('protection.delivery.datasetVersion'), dataIndex: 'datasetVersion', width: 90, render: (v: number) => `v${v}` },
          {
            title: t('protection.delivery.rows'),
            dataIndex: 'rowCount',
            width: 80,
            align: 'right',
            render: (n: number) => <span data-testid="delivery-rows">{fmtCount(n)}</span>,
          },
          {
            title: t('protection.delivery.watermark'),
            key: 'watermark',
            width: 220,
            render: (_v, d) => (
              <Space size={4} wrap>
                <WatermarkTag d={d} />
                {d.watermark.carriers.length > 0 && (
                  <Typography.Text type="secondary" data-testid="delivery-carrier-fields">
                    {d.watermark.carriers.map((c) => c.field).join('、')}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: t('protection.delivery.createdBy'), key: 'by', width: 120, render: (_v, d) => d.createdBy?.displayName ?? '—' },
        ]}
      />

      {creating && <DeliveryModal resourceId={resourceId} onClose={() => setCreating(false)} />}
    </div>
  );
}
