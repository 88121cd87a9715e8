// Detail panel for one institution: basic info and the profile (ORG-1, 2, 4, 5, 7), edit, new child,
// and for a regulator the 授权查阅 grants.
import { EditOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { KindTag, useOrgLabels } from '../../components/institutions.tsx';
import { fmtDateTime, fmtYuan } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { useCan } from '../../session.tsx';
import type { Institution, InstitutionProfile } from '../../types.ts';
import { CreateInstitutionModal } from './CreateInstitutionModal.tsx';
import { EditInstitutionDrawer } from './EditInstitutionDrawer.tsx';
import { ReadGrantsPanel } from './ReadGrantsPanel.tsx';

type Person = NonNullable<InstitutionProfile['securityLead']>;

export const institutionKey = (id: string) => ['institutions', 'detail', id] as const;

function PersonView({ p }: { p: Person | undefined }) {
  const { t } = useI18n();
  if (!p) return <Typography.Text type="secondary">{t('profile.notSet')}</Typography.Text>;
  const extra = [p.title, p.department, p.phone, p.email].filter(Boolean).join(' · ');
  return (
    <span>
      <Typography.Text strong>{p.name}</Typography.Text>
      {extra && <Typography.Text type="secondary">{`  ${extra}`}</Typography.Text>}
    </span>
  );
}

function NotSet() {
  const { t } = useI18n();
  return <Typography.Text type="secondary">{t('profile.notSet')}</Typography.Text>;
}

function ProfileView({ inst }: { inst: Institution }) {
  const { t, lang } = useI18n();
  const labels = useOrgLabels();
  const p = inst.profile ?? {};
  const lg = p.leadershipGroup;
  const budgets = [...(p.budgets ?? [])].sort((a, b) => b.year - a.year);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Descriptions title={t('institution.basicInfo')} bordered size="small" column={{ xs: 1, md: 2 }} data-testid="institution-basic">
        <Descriptions.Item label={t('institution.name')}>{inst.name}</Descriptions.Item>
        <Descriptions.Item label={t('institution.shortName')}>{inst.shortName || <NotSet />}</Descriptions.Item>
        <Descriptions.Item label={t('institution.kind')}>
          <KindTag kind={inst.kind} />
        </Descriptions.Item>
        <Descriptions.Item label={t('institution.adminLevel')}>{labels.level(inst.adminLevel)}</Descriptions.Item>
        <Descriptions.Item label={t('institution.sector')}>{labels.sector(inst.sector)}</Descriptions.Item>
        <Descriptions.Item label={t('institution.code')}>{inst.code ? <Typography.Text copyable>{inst.code}</Typography.Text> : <NotSet />}</Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          {inst.status === 'active' ? <Tag color="green">{t('institution.statusActive')}</Tag> : <Tag>{t('institution.statusClosed')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('common.updatedAt')}>{fmtDateTime(inst.updatedAt)}</Descriptions.Item>
      </Descriptions>

      <Descriptions title={t('institution.profile')} bordered size="small" column={1} data-testid="institution-profile">
        <Descriptions.Item label={t('profile.securityLead')}>
          <PersonView p={p.securityLead} />
        </Descriptions.Item>
        <Descriptions.Item label={t('profile.managingDepartment')}>{p.managingDepartment || <NotSet />}</Descriptions.Item>
        <Descriptions.Item label={t('profile.leadershipGroup')}>
          {lg ? (
            <Space orientation="vertical" size={4}>
              <span>
                {t('profile.chair')}
                {t('common.colon')}
                <PersonView p={lg.chair} />{' '}
                {lg.chairIsHead ? (
                  <Tag color="green">{t('profile.chairIsHeadYes')}</Tag>
                ) : (
                  <Tag color="orange" icon={<WarningOutlined />}>
                    {t('profile.chairIsHeadNo')}
                  </Tag>
                )}
              </span>
              {lg.members.length > 0 && (
                <span>
                  {t('profile.members')}
                  {t('common.colon')}
                  {lg.members.map((m) => (m.title ? `${m.name}（${m.title}）` : m.name)).join('、')}
                </span>
              )}
              {lg.establishedOn && (
                <span>
                  {t('profile.establishedOn')}
                  {t('common.colon')}
                  {lg.establishedOn}
                </span>
              )}
            </Space>
          ) : (
            <NotSet />
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('profile.emergencyBody')}>{p.emergencyBody || <NotSet />}</Descriptions.Item>
        <Descriptions.Item label={t('profile.piOfficer')}>
          <PersonView p={p.piOfficer} />
        </Descriptions.Item>
        <Descriptions.Item label={t('profile.budgets')}>
          {budgets.length === 0 ? (
            <NotSet />
          ) : (
            <Table
              size="small"
              pagination={false}
              rowKey="year"
              dataSource={budgets}
              columns={[
                { title: t('profile.budgetYear'), dataIndex: 'year', width: 90 },
                { title: t('profile.budgetAmount'), dataIndex: 'amountFen', align: 'right', render: (fen: number) => fmtYuan(fen, lang) },
                { title: t('common.note'), dataIndex: 'note', render: (n?: string) => n || '—' },
              ]}
            />
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('profile.contacts')}>
          {(p.contacts ?? []).length === 0 ? (
            <NotSet />
          ) : (
            <Table
              size="small"
              pagination={false}
              rowKey={(_r, i) => String(i)}
              dataSource={p.contacts}
              columns={[
                { title: t('common.name'), dataIndex: 'name' },
                { title: t('profile.duty'), dataIndex: 'duty', render: (v?: string) => v || '—' },
                { title: t('common.phone'), dataIndex: 'phone', render: (v?: string) => v || '—' },
                { title: t('common.email'), dataIndex: 'email', render: (v?: string) => v || '—' },
              ]}
            />
          )}
        </Descriptions.Item>
      </Descriptions>
    </Space>
  );
}

export function InstitutionDetail({ id, onSelect }: { id: string; onSelect: (id: string) => void }) {
  const { t } = useI18n();
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const [creating, setCreating] = useState(false);
  const q = useQuery({ queryKey: institutionKey(id), queryFn: () => api.get<Institution>(`/api/institutions/${id}`) });

  if (q.isPending)
    return (
      <Card>
        <Loading />
      </Card>
    );
  if (q.isError)
    return (
      <Card>
        <ErrorResult error={q.error} onRetry={() => q.refetch()} />
      </Card>
    );
  const inst = q.data;
  const showGrants = inst.kind === 'regulator' && can('institution.grant_read');

  return (
    <Card
      data-testid="institution-detail"
      title={
        <Space wrap>
          <span data-testid="institution-detail-name">{inst.name}</span>
          <KindTag kind={inst.kind} />
          {inst.status === 'closed' && <Tag>{t('institution.statusClosed')}</Tag>}
        </Space>
      }
      extra={
        <Space>
          {can('institution.update') && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="institution-edit">
              {t('common.edit')}
            </Button>
          )}
          {can('institution.create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="institution-create">
              {t('institution.createChild')}
            </Button>
          )}
        </Space>
      }
    >
      {showGrants ? (
        <Tabs
          items={[
            { key: 'info', label: t('institution.infoTab'), children: <ProfileView inst={inst} /> },
            {
              key: 'grants',
              label: <span data-testid="institution-grants-tab">{t('grants.tab')}</span>,
              children: <ReadGrantsPanel regulator={inst} />,
            },
          ]}
        />
      ) : (
        <ProfileView inst={inst} />
      )}
      {editing && <EditInstitutionDrawer inst={inst} onClose={() => setEditing(false)} />}
      <CreateInstitutionModal
        open={creating}
        parent={inst}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          onSelect(created.id);
        }}
      />
    </Card>
  );
}
