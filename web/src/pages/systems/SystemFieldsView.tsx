// Read-only view of the DG-8 fields in the form's sections: the detail page and each filing's snapshot.
import { Descriptions, Table, Typography } from 'antd';
import { CARRIER_KIND_LABEL, CRYPTO_STATUS_LABEL, HOSTING_LABEL, LevelTag, YesNo } from '../../components/catalog.tsx';
import { useT } from '../../i18n.tsx';
import type { StorageCarrier, SystemFields, TrustedTerminal } from '../../types.ts';

function Dash() {
  return <Typography.Text type="secondary">—</Typography.Text>;
}
const text = (v: string | null | undefined) => (v ? v : <Dash />);

export function SystemFieldsView({ s, testId = 'system-fields', compact = false }: { s: SystemFields; testId?: string; compact?: boolean }) {
  const t = useT();
  const lead = s.securityLead;
  const size = compact ? 'small' : 'middle';
  const column = compact ? { xs: 1, md: 2 } : { xs: 1, md: 2, xl: 3 };
  return (
    <div data-testid={testId}>
      <Descriptions size={size} bordered column={column} title={compact ? undefined : t('system.section.basic')} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('system.name')}>{s.name}</Descriptions.Item>
        <Descriptions.Item label={t('system.description')} span={2}>
          {text(s.description)}
        </Descriptions.Item>
      </Descriptions>
      <Descriptions size={size} bordered column={column} title={t('system.section.security')} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('system.securityLead')}>
          {lead ? (
            <span>
              <Typography.Text strong>{lead.name}</Typography.Text>
              <Typography.Text type="secondary">{` ${[lead.title, lead.department, lead.phone, lead.email].filter(Boolean).join(' · ')}`}</Typography.Text>
            </span>
          ) : (
            <Dash />
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('system.securityMeasures')} span={2}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{text(s.securityMeasures)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('system.assessmentResult')}>{text(s.assessmentResult)}</Descriptions.Item>
        <Descriptions.Item label={t('system.assessmentOn')}>{text(s.assessmentOn)}</Descriptions.Item>
        <Descriptions.Item label={t('system.auditConclusion')}>{text(s.auditConclusion)}</Descriptions.Item>
      </Descriptions>
      <Descriptions size={size} bordered column={column} title={t('system.section.mlpsCrypto')} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('system.mlpsLevel')}>{s.mlpsLevel ? t('system.mlpsN', { n: s.mlpsLevel }) : t('system.mlpsNone')}</Descriptions.Item>
        <Descriptions.Item label={t('system.mlpsFilingNo')}>{text(s.mlpsFilingNo)}</Descriptions.Item>
        <Descriptions.Item label={t('system.mlpsEvaluatedOn')}>{text(s.mlpsEvaluatedOn)}</Descriptions.Item>
        <Descriptions.Item label={t('system.cii')}>
          <YesNo value={s.cii ?? false} />
        </Descriptions.Item>
        <Descriptions.Item label={t('system.cryptoStatus')}>{s.cryptoStatus ? t(CRYPTO_STATUS_LABEL[s.cryptoStatus]) : <Dash />}</Descriptions.Item>
        <Descriptions.Item label={t('system.cryptoAssessedOn')}>{text(s.cryptoAssessedOn)}</Descriptions.Item>
      </Descriptions>
      <Descriptions size={size} bordered column={column} title={t('system.section.hostingStorage')} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('system.hosting')}>{s.hosting ? t(HOSTING_LABEL[s.hosting]) : <Dash />}</Descriptions.Item>
        <Descriptions.Item label={t('system.lastVulnScanOn')} span={2}>
          {text(s.lastVulnScanOn)}
        </Descriptions.Item>
        <Descriptions.Item label={t('system.trustedTerminals')} span={3}>
          {(s.trustedTerminals ?? []).length === 0 ? (
            <Dash />
          ) : (
            <Table<TrustedTerminal>
              size="small"
              pagination={false}
              rowKey={(_r, i) => String(i)}
              dataSource={s.trustedTerminals}
              data-testid="system-terminals"
              columns={[
                { title: t('system.terminal.name'), dataIndex: 'name' },
                { title: t('system.terminal.identifier'), dataIndex: 'identifier', render: (v?: string) => v || '—' },
                { title: t('system.terminal.location'), dataIndex: 'location', render: (v?: string) => v || '—' },
                { title: t('system.terminal.holder'), dataIndex: 'holder', render: (v?: string) => v || '—' },
              ]}
            />
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('system.section.storage')} span={3}>
          {(s.storageCarriers ?? []).length === 0 ? (
            <Dash />
          ) : (
            <Table<StorageCarrier>
              size="small"
              pagination={false}
              rowKey={(_r, i) => String(i)}
              dataSource={s.storageCarriers}
              data-testid="system-carriers"
              columns={[
                { title: t('system.carrier.name'), dataIndex: 'name' },
                {
                  title: t('system.carrier.kind'),
                  dataIndex: 'kind',
                  render: (v: StorageCarrier['kind']) => (CARRIER_KIND_LABEL[v] ? t(CARRIER_KIND_LABEL[v]) : v),
                },
                { title: t('system.carrier.location'), dataIndex: 'location', render: (v?: string) => v || '—' },
                {
                  title: t('system.carrier.protectionLevel'),
                  dataIndex: 'protectionLevel',
                  render: (v: StorageCarrier['protectionLevel']) => <LevelTag level={v} />,
                },
                { title: t('system.carrier.encrypted'), dataIndex: 'encrypted', render: (v?: boolean) => <YesNo value={v ?? null} /> },
              ]}
            />
          )}
        </Descriptions.Item>
      </Descriptions>
    </div>
  );
}
