// 系统设置: the 等保 identity-authentication policy (GET/PUT /api/settings/security-policy) and the
// table-pull allow-list 数据汇聚白名单 (DataPullHostsCard).
// Read-only without settings.manage.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, InputNumber, Row, Typography } from 'antd';
import { api } from '../api.ts';
import { ErrorAlert, ErrorResult, Loading } from '../components/ErrorAlert.tsx';
import { type MessageKey, useT } from '../i18n.tsx';
import { useCan } from '../session.tsx';
import type { SecurityPolicy } from '../types.ts';
import { DataPullHostsCard } from './DataPullHostsCard.tsx';

const KEY = ['settings', 'security-policy'];

/** Bounds as in src/modules/settings/security-policy.ts (the server validates them too). */
const FIELDS: { name: keyof SecurityPolicy; label: MessageKey; min: number; max: number; unit: MessageKey }[] = [
  { name: 'passwordMinLength', label: 'policy.passwordMinLength', min: 10, max: 64, unit: 'common.chars' },
  { name: 'passwordMaxAgeDays', label: 'policy.passwordMaxAgeDays', min: 1, max: 365, unit: 'common.days' },
  { name: 'passwordHistory', label: 'policy.passwordHistory', min: 1, max: 24, unit: 'common.times' },
  { name: 'lockThreshold', label: 'policy.lockThreshold', min: 3, max: 20, unit: 'common.times' },
  { name: 'lockMinutes', label: 'policy.lockMinutes', min: 1, max: 1440, unit: 'common.minutes' },
  { name: 'idleMinutes', label: 'policy.idleMinutes', min: 5, max: 120, unit: 'common.minutes' },
  { name: 'absoluteHours', label: 'policy.absoluteHours', min: 1, max: 24, unit: 'common.hours' },
];

export default function SettingsPage() {
  const t = useT();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<SecurityPolicy>();
  const editable = can('settings.manage');
  const policy = useQuery({ queryKey: KEY, queryFn: () => api.get<SecurityPolicy>('/api/settings/security-policy') });
  const save = useMutation({
    mutationFn: (v: SecurityPolicy) => api.put<SecurityPolicy>('/api/settings/security-policy', v),
    onSuccess: (p) => {
      qc.setQueryData(KEY, p);
      form.setFieldsValue(p);
      message.success(t('common.saved'));
    },
  });

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.settings')}
      </Typography.Title>
      <Card title={t('policy.title')} data-testid="security-policy">
        {policy.isPending && <Loading />}
        {policy.isError && <ErrorResult error={policy.error} onRetry={() => policy.refetch()} />}
        {policy.data && (
          <>
            {!editable && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('policy.readOnly')} data-testid="policy-readonly" />}
            <Typography.Paragraph type="secondary">{t('policy.intro')}</Typography.Paragraph>
            <ErrorAlert error={save.error} testId="policy-error" />
            <Form<SecurityPolicy> form={form} layout="vertical" disabled={!editable} initialValues={policy.data} onFinish={(v) => save.mutate(v)}>
              <Row gutter={16}>
                {FIELDS.map((f) => (
                  <Col xs={24} md={12} xl={8} key={f.name}>
                    <Form.Item
                      name={f.name}
                      label={t(f.label)}
                      extra={t('validation.range', { min: f.min, max: f.max })}
                      rules={[
                        { required: true, message: t('validation.required') },
                        { type: 'integer', min: f.min, max: f.max, message: t('validation.range', { min: f.min, max: f.max }) },
                      ]}
                    >
                      <InputNumber min={f.min} max={f.max} precision={0} suffix={t(f.unit)} style={{ width: 200 }} data-testid={`policy-${f.name}`} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              {editable && (
                <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="policy-save">
                  {t('common.save')}
                </Button>
              )}
            </Form>
          </>
        )}
      </Card>
      <DataPullHostsCard editable={editable} />
    </div>
  );
}
