// 数据保护: one resource's protection page (issue 5). Sections are tabs, each a component with the data it
// needs: 密钥 (the SM4 data key: versions, rotation, re-encryption, crypto-shredding; PRT-5, LIF-11),
// 数据集与加密 (the dataset store: encryption per field, versions, loads; LIF-13), 敏感数据发现 (scans of the
// loaded data and their review, issue 4; CLS-2, CLS-3, AST-11), 脱敏规则 (the masking rule
// per scenario and field, with a masked preview; PRT-4) and 数据交付与水印 (test-data copies with their
// watermarks; DG-15, PRT-8).
import { ArrowLeftOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Space, Tabs, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api.ts';
import { LevelTag } from '../../components/catalog.tsx';
import { ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { type MessageKey, useT } from '../../i18n.tsx';
import type { DatasetInfo, ResourceKeys } from '../../protectionTypes.ts';
import type { ResourceDetail } from '../../types.ts';
import { resourceKey } from '../catalog/ResourceFormDrawer.tsx';
import { DiscoveryTab } from '../discovery/DiscoveryTab.tsx';
import { type ProtectionAccess, useProtectionAccess } from './access.ts';
import { DatasetTab } from './DatasetTab.tsx';
import { DeliveriesTab } from './DeliveriesTab.tsx';
import { KeysTab } from './KeysTab.tsx';
import { datasetKey, fmtCount, keysKey, rowsAwaitingReencryption } from './labels.ts';
import { MaskingTab } from './MaskingTab.tsx';
import { KeyStateTag } from './parts.tsx';

interface SectionProps {
  resource: ResourceDetail;
  keys: ResourceKeys;
  dataset: DatasetInfo;
  access: ProtectionAccess;
}
interface Section {
  key: string;
  label: MessageKey;
  render: (p: SectionProps) => ReactNode;
}

/** The page's sections in order; the first is the default tab. */
const sections: Section[] = [
  { key: 'keys', label: 'protection.tab.keys', render: (p) => <KeysTab keys={p.keys} dataset={p.dataset} access={p.access} /> },
  { key: 'dataset', label: 'protection.tab.dataset', render: (p) => <DatasetTab dataset={p.dataset} keys={p.keys} access={p.access} /> },
  { key: 'discovery', label: 'discovery.tab', render: (p) => <DiscoveryTab resource={p.resource} dataset={p.dataset} /> },
  { key: 'masking', label: 'protection.tab.masking', render: (p) => <MaskingTab resourceId={p.resource.id} dataset={p.dataset} access={p.access} /> },
  {
    key: 'deliveries',
    label: 'protection.tab.deliveries',
    render: (p) => <DeliveriesTab resourceId={p.resource.id} dataset={p.dataset} keys={p.keys} access={p.access} />,
  },
];

export default function ProtectionPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const resource = useQuery({ queryKey: resourceKey(id), queryFn: () => api.get<ResourceDetail>(`/api/resources/${id}`) });
  const keys = useQuery({ queryKey: keysKey(id), queryFn: () => api.get<ResourceKeys>(`/api/resources/${id}/keys`) });
  const dataset = useQuery({ queryKey: datasetKey(id), queryFn: () => api.get<DatasetInfo>(`/api/resources/${id}/dataset`) });
  const access = useProtectionAccess(resource.data?.institutionId);

  const failed = [resource, keys, dataset].find((q) => q.isError);
  if (failed) {
    return (
      <Card>
        <ErrorResult error={failed.error} onRetry={() => void Promise.all([resource.refetch(), keys.refetch(), dataset.refetch()])} />
      </Card>
    );
  }
  if (!resource.data || !keys.data || !dataset.data) return <Loading />;
  const props: SectionProps = { resource: resource.data, keys: keys.data, dataset: dataset.data, access };
  const r = resource.data;
  const tab = sections.some((s) => s.key === params.get('tab')) ? (params.get('tab') as string) : sections[0].key;
  const pending = rowsAwaitingReencryption(keys.data, dataset.data);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Link to={`/catalog/${r.id}`} data-testid="protection-back">
        <ArrowLeftOutlined /> {t('protection.back')}
      </Link>
      <Card
        data-testid="protection-page"
        title={
          <Space wrap>
            <SafetyCertificateOutlined />
            <span>{t('protection.title')}</span>
            <Typography.Text data-testid="protection-resource-name">{r.name}</Typography.Text>
            {r.level ? <LevelTag level={r.level} testId="protection-level" /> : <Tag color="orange">{t('protection.field.failSafe')}</Tag>}
          </Space>
        }
      >
        <Space size={24} wrap style={{ marginBottom: 8 }}>
          <span>
            {t('protection.header.institution')}
            {t('common.colon')}
            {r.institutionName}
          </span>
          <span>
            {t('protection.header.key')}
            {t('common.colon')}
            <KeyStateTag state={keys.data.state} testId="protection-key-state" />
          </span>
          <span data-testid="protection-dataset-state">
            {t('protection.header.dataset')}
            {t('common.colon')}
            {dataset.data.loaded
              ? t('protection.header.datasetLoaded', { version: dataset.data.version, rows: fmtCount(dataset.data.rowCount) })
              : t('protection.dataset.notLoaded')}
          </span>
          {pending > 0 && (
            <Tag color="warning" data-testid="protection-pending">
              {t('protection.reencrypt.pending', { n: fmtCount(pending) })}
            </Tag>
          )}
        </Space>
        <Tabs
          activeKey={tab}
          onChange={(k) => {
            const p = new URLSearchParams(params);
            if (k === sections[0].key) p.delete('tab');
            else p.set('tab', k);
            setParams(p, { replace: true });
          }}
          items={sections.map((s) => ({
            key: s.key,
            label: <span data-testid={`protection-tab-${s.key}`}>{t(s.label)}</span>,
            children: s.render(props),
          }))}
        />
      </Card>
    </Space>
  );
}
