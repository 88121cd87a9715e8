// 个人信息清单 (AST-11, ORG-4): per institution in reach, the resources holding personal information, the
// totals, and whether the ORG-4 thresholds are crossed (a PI protection officer is then required).
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../../components/institutions.tsx';
import { useT } from '../../i18n.tsx';
import type { PiInventory } from '../../types.ts';

type InstitutionInventory = PiInventory['institutions'][number];
const n = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toLocaleString('zh-CN'));

export default function PiInventoryPage() {
  const t = useT();
  const [institutionId, setInstitutionId] = useState<string | undefined>();
  const query = useQuery({
    queryKey: ['pi-inventory', institutionId],
    queryFn: () => api.get<PiInventory>('/api/pi-inventory', { institutionId }),
  });
  const data = query.data;
  const list = (data?.institutions ?? []).filter((i) => i.resources.length > 0 || i.crossed.people || i.crossed.sensitivePeople);

  return (
    <div data-testid="pi-inventory">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <div>
          <Link to="/catalog">← {t('piInv.back')}</Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('resource.piTitle')}
          </Typography.Title>
        </div>
        <InstitutionTreeSelect testId="pi-filter-institution" value={institutionId} onChange={setInstitutionId} style={{ width: 260 }} />
      </Space>
      {data && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('piInv.thresholds', { people: n(data.thresholds.people), sensitive: n(data.thresholds.sensitivePeople) })}
          description={t('piInv.basis')}
        />
      )}
      <ErrorAlert error={query.error} />
      {query.isLoading ? (
        <Spin />
      ) : list.length === 0 ? (
        <Card>
          <Empty description={t('piInv.empty')} />
        </Card>
      ) : (
        list.map((inst) => <InstitutionCard key={inst.institutionId} inst={inst} />)
      )}
    </div>
  );
}

function InstitutionCard({ inst }: { inst: InstitutionInventory }) {
  const t = useT();
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="pi-institution"
      title={inst.institutionName}
      extra={
        inst.officerRequired ? (
          inst.piOfficerNamed ? (
            <Tag color="green" data-testid="pi-officer-ok">
              {t('piInv.officerNamed', { name: inst.piOfficerName ?? '' })}
            </Tag>
          ) : (
            <Tag color="red" data-testid="pi-officer-missing">
              {t('piInv.officerMissing')}
            </Tag>
          )
        ) : (
          <Tag>{t('piInv.officerNotRequired')}</Tag>
        )
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 4 }} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('pi.records')}>{n(inst.totals.records)}</Descriptions.Item>
        <Descriptions.Item label={t('pi.people')}>
          <Space>
            {n(inst.totals.people)}
            {inst.crossed.people && <Tag color="orange">{t('piInv.crossed')}</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('piInv.sensitivePeople')}>
          <Space>
            {n(inst.totals.sensitivePeople)}
            {inst.crossed.sensitivePeople && <Tag color="orange">{t('piInv.crossed')}</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('pi.undeclared')}>{inst.undeclaredResources}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={inst.resources}
        columns={[
          { title: t('piInv.resource'), dataIndex: 'name', render: (v: string, r) => <Link to={`/catalog/${r.id}`}>{v}</Link> },
          { title: t('piInv.system'), dataIndex: 'systemName' },
          { title: t('pi.records'), dataIndex: 'records', align: 'right', render: n },
          { title: t('pi.people'), dataIndex: 'people', align: 'right', render: n },
          {
            title: t('pi.sensitive'),
            dataIndex: 'sensitive',
            render: (v: boolean) => (v ? <Tag color="red">{t('pi.sensitiveShort')}</Tag> : '—'),
          },
          { title: t('pi.fields'), dataIndex: 'piFieldCount', align: 'right' },
          { title: t('pi.source'), dataIndex: 'declared', render: (v: boolean) => (v ? t('piInv.declared') : t('pi.undeclared')) },
        ]}
      />
    </Card>
  );
}
