// 记录资产核查 (AST-3): who checked is the signed-in person; the form asks when (today in Beijing by
// default, never in the future), which institution (the user's own by default), the scope, notes, and each
// difference found, optionally tied to one of that institution's registered systems. No findings is a valid
// result ("no difference found") and is recorded as such.
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Drawer, Form, Input, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api.ts';
import { SYSTEM_STATUS_LABEL } from '../../components/catalog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../../components/institutions.tsx';
import { beijingToday } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import { useMe } from '../../session.tsx';
import type { AssetCheck, AssetCheckCreate, Paged, SystemSummary } from '../../types.ts';
import type { Reach } from './assetCheckAccess.ts';

/** The server's limits (AssetCheckCreate). */
const MAX_FINDINGS = 200;
const MAX_SCOPE = 500;
const MAX_NOTES = 4000;
const MAX_TEXT = 2000;

interface FindingValues {
  systemId?: string;
  description?: string;
}
interface FormValues {
  institutionId?: string;
  checkedOn?: Dayjs | null;
  scope?: string;
  notes?: string;
  findings?: FindingValues[];
}

/** The request body from the form (trimmed; empty optional texts left out). */
export function toCreateBody(v: FormValues): AssetCheckCreate {
  const scope = v.scope?.trim();
  const notes = v.notes?.trim();
  return {
    institutionId: v.institutionId as string,
    checkedOn: (v.checkedOn as Dayjs).format('YYYY-MM-DD'),
    ...(scope ? { scope } : {}),
    ...(notes ? { notes } : {}),
    findings: (v.findings ?? []).map((f) => ({
      ...(f.systemId ? { systemId: f.systemId } : {}),
      description: (f.description ?? '').trim(),
    })),
  };
}

/**
 * The systems registered at one institution (GET /api/systems?institutionId=…, searched on the server),
 * drafts and closed ones included: "registered as closed but still running" is exactly a finding.
 */
export function InstitutionSystemSelect({
  institutionId,
  value,
  onChange,
  testId,
  id,
}: {
  institutionId?: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  testId?: string;
  id?: string;
}) {
  const t = useT();
  const [q, setQ] = useState('');
  const list = useQuery({
    queryKey: ['systems', 'pick-in', institutionId, q],
    queryFn: () => api.get<Paged<SystemSummary>>('/api/systems', { institutionId, q: q || undefined, page: 1, pageSize: 50 }),
    enabled: !!institutionId,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const items = institutionId ? (list.data?.items ?? []) : [];
  return (
    <Select<string>
      id={id}
      data-testid={testId}
      style={{ width: '100%' }}
      value={value}
      allowClear
      disabled={!institutionId}
      showSearch={{ filterOption: false, onSearch: (v) => setQ(v.trim()) }}
      loading={list.isFetching}
      placeholder={institutionId ? t('assetCheck.systemPlaceholder') : t('assetCheck.systemNeedsInstitution')}
      notFoundContent={list.isError ? t('error.loadFailed') : undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={items.map((s) => ({
        value: s.id,
        label: s.status === 'accepted' ? s.name : `${s.name}（${t(SYSTEM_STATUS_LABEL[s.status])}）`,
      }))}
      popupMatchSelectWidth={false}
    />
  );
}

export function AssetCheckDrawer({ manage, onClose }: { manage: Reach; onClose: () => void }) {
  const t = useT();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const institutionId = Form.useWatch('institutionId', form);
  const today = beijingToday();

  const save = useMutation({
    mutationFn: (v: FormValues) => api.post<AssetCheck>('/api/asset-checks', toCreateBody(v)),
    onSuccess: (check) => {
      qc.invalidateQueries({ queryKey: ['asset-checks'] });
      message.success(check.findings.length === 0 ? t('assetCheck.createdNoDiff') : t('assetCheck.created'));
      onClose();
    },
  });

  const initial: FormValues = {
    institutionId: manage.at(me.institutionId) ? me.institutionId : manage.roots[0],
    checkedOn: dayjs(today),
    findings: [],
  };

  return (
    <Drawer
      open
      size={760}
      title={t('assetCheck.createTitle')}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="asset-check-drawer"
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="asset-check-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <ErrorAlert error={save.error} testId="asset-check-error" />
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        scrollToFirstError
        onFinish={(v) => save.mutate(v)}
        onValuesChange={(changed: Partial<FormValues>, all) => {
          // Systems belong to one institution: a new institution clears the systems picked for the old one.
          if ('institutionId' in changed && all.findings?.some((f) => f?.systemId)) {
            form.setFieldValue(
              'findings',
              all.findings.map((f) => ({ ...f, systemId: undefined })),
            );
          }
        }}
        data-testid="asset-check-form"
      >
        <Space wrap size={16} align="start" style={{ display: 'flex' }}>
          <Form.Item
            name="institutionId"
            label={t('assetCheck.institution')}
            extra={t('assetCheck.institutionExtra')}
            rules={[{ required: true, message: t('validation.required') }]}
            style={{ minWidth: 320 }}
          >
            <InstitutionTreeSelect testId="asset-check-institution" allowClear={false} disable={(n) => !manage.at(n.id)} style={{ width: 320 }} />
          </Form.Item>
          <Form.Item
            name="checkedOn"
            label={t('assetCheck.checkedOn')}
            extra={t('assetCheck.checkedOnExtra')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <DatePicker style={{ width: 200 }} disabledDate={(d) => d.format('YYYY-MM-DD') > today} data-testid="asset-check-date" />
          </Form.Item>
        </Space>
        <Form.Item name="scope" label={t('assetCheck.scope')} rules={[{ max: MAX_SCOPE, message: t('validation.max', { n: MAX_SCOPE }) }]}>
          <Input maxLength={MAX_SCOPE} placeholder={t('assetCheck.scopePlaceholder')} data-testid="asset-check-scope" />
        </Form.Item>
        <Form.Item name="notes" label={t('assetCheck.notes')} rules={[{ max: MAX_NOTES, message: t('validation.max', { n: MAX_NOTES }) }]}>
          <Input.TextArea rows={2} maxLength={MAX_NOTES} data-testid="asset-check-notes" />
        </Form.Item>

        <Typography.Title level={5}>{t('assetCheck.findings')}</Typography.Title>
        <Form.List name="findings">
          {(fields, { add, remove }) => (
            <div data-testid="asset-check-findings">
              {fields.length === 0 && (
                <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('assetCheck.noFindingsHint')} data-testid="asset-check-no-findings-hint" />
              )}
              {fields.map((field, i) => (
                <Card
                  key={field.key}
                  size="small"
                  style={{ marginBottom: 12 }}
                  data-testid="asset-check-finding"
                  title={t('assetCheck.findingN', { n: i + 1 })}
                  extra={
                    <Button
                      type="text"
                      danger
                      size="small"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(field.name)}
                      aria-label={t('common.remove')}
                      data-testid="asset-check-finding-remove"
                    >
                      {t('common.remove')}
                    </Button>
                  }
                >
                  <Form.Item name={[field.name, 'systemId']} label={t('assetCheck.system')}>
                    <InstitutionSystemSelect institutionId={institutionId} testId="asset-check-finding-system" />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'description']}
                    label={t('assetCheck.description')}
                    rules={[
                      { required: true, whitespace: true, message: t('validation.required') },
                      { max: MAX_TEXT, message: t('validation.max', { n: MAX_TEXT }) },
                    ]}
                    style={{ marginBottom: 0 }}
                  >
                    <Input.TextArea
                      rows={2}
                      maxLength={MAX_TEXT}
                      placeholder={t('assetCheck.descriptionPlaceholder')}
                      data-testid="asset-check-finding-description"
                    />
                  </Form.Item>
                </Card>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                onClick={() => add({})}
                disabled={fields.length >= MAX_FINDINGS}
                data-testid="asset-check-finding-add"
              >
                {t('assetCheck.addFinding')}
              </Button>
            </div>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
