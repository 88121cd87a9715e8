// 工作台: who I am, where, which roles, and the state of my credentials.
import { CheckCircleTwoTone, ExclamationCircleTwoTone } from '@ant-design/icons';
import { Alert, Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { ROLE_LABELS } from '../../../src/modules/org/roles.ts';
import { KindTag } from '../components/institutions.tsx';
import { WorkdayCoverageAlert } from '../components/WorkdayCoverage.tsx';
import { daysUntil, fmtDate } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { useCan, useMe } from '../session.tsx';

export default function DashboardPage() {
  const { t, pick } = useI18n();
  const me = useMe();
  const can = useCan();
  const days = daysUntil(me.passwordExpiresAt);
  const soon = days < 14;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {/* Holders of workdays.manage can load a missing holiday schedule: remind them before deadlines fail. */}
      <WorkdayCoverageAlert link enabled={can('workdays.manage')} />
      <Card data-testid="welcome-card">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: me.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
        {soon && (
          <Alert
            type={days < 0 ? 'error' : 'warning'}
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="password-expiry-warning"
            title={days < 0 ? t('home.passwordExpired') : t('home.passwordExpiresSoon', { days: Math.max(days, 0) })}
            action={<Link to="/me/security">{t('home.changeNow')}</Link>}
          />
        )}
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="middle">
          <Descriptions.Item label={t('home.account')}>{me.username}</Descriptions.Item>
          <Descriptions.Item label={t('home.institution')}>
            <Space>
              {me.institutionName}
              <KindTag kind={me.institutionKind} />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.roles')} span={2}>
            <span data-testid="home-roles">
              {me.roles.length === 0 ? (
                <Typography.Text type="secondary">{t('home.noRoles')}</Typography.Text>
              ) : (
                me.roles.map((r) => (
                  <Tag key={r.id} color="blue" style={{ marginBottom: 4 }}>
                    {pick(ROLE_LABELS[r.role], r.role)}
                    {r.institutionId !== me.institutionId ? ` · ${r.institutionName}` : ''}
                  </Tag>
                ))
              )}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.passwordExpiry')}>
            <span data-testid="home-password-expiry">
              {fmtDate(me.passwordExpiresAt)}
              {!soon && <Typography.Text type="secondary">{`（${t('home.daysLeft', { days })}）`}</Typography.Text>}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.totp')}>
            <span data-testid="home-totp">
              {me.totpEnabled ? (
                <Space>
                  <CheckCircleTwoTone twoToneColor="#52c41a" />
                  {t('home.totpOn')}
                </Space>
              ) : (
                <Space>
                  <ExclamationCircleTwoTone twoToneColor={me.totpRequired ? '#ff4d4f' : '#faad14'} />
                  {me.totpRequired ? t('home.totpRequiredOff') : t('home.totpOff')}
                  <Link to="/me/security?tab=totp">{t('home.totpEnrolNow')}</Link>
                </Space>
              )}
            </span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Card title={t('home.roadmapTitle')} size="small">
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('home.roadmap')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={t('home.tipsTitle')} size="small">
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('home.tips')}
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
