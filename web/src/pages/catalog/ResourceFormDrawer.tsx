// 新建资源 / 编辑资源 (AST-4, AST-11, LIF-1): the system it belongs to, its fields (数据项), share and open
// attributes (a legal basis is required unless shared unconditionally), retention, the five-part collection
// record and the personal-information declaration.
import { MinusCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, AutoComplete, Button, Col, Divider, Drawer, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../api.ts';
import {
  FIELD_DATA_TYPES,
  OPEN_ATTRIBUTES,
  OPEN_LABEL,
  SHARE_ATTRIBUTES,
  SHARE_LABEL,
  SystemSelect,
  UPDATE_FREQUENCIES,
  useCatalogLabels,
} from '../../components/catalog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { type TFunction, useT } from '../../i18n.tsx';
import type {
  CollectionRecord,
  FieldDataType,
  FieldInput,
  OpenAttribute,
  ResourceCreate,
  ResourceDetail,
  ResourceUpdate,
  ShareAttribute,
  UpdateFrequency,
} from '../../types.ts';

export const resourceKey = (id: string) => ['resources', 'detail', id] as const;

interface Values {
  systemId?: string;
  name: string;
  description?: string;
  updateFrequency?: UpdateFrequency | null;
  recordCount?: number | null;
  fields: { name?: string; dataType?: FieldDataType; description?: string | null }[];
  shareAttribute: ShareAttribute;
  shareBasis?: string;
  openAttribute: OpenAttribute;
  openBasis?: string;
  retentionMonths?: number | null;
  collection: CollectionRecord;
  hasPi: boolean;
  piRecords?: number | null;
  piPeople?: number | null;
  piSensitive?: boolean;
  published?: boolean;
}

const trim = (s: string | undefined | null): string | undefined => {
  const v = s?.trim();
  return v ? v : undefined;
};

function toForm(r: ResourceDetail): Values {
  const pi = r.pi;
  return {
    systemId: r.systemId,
    name: r.name,
    description: r.description ?? undefined,
    updateFrequency: r.updateFrequency ?? null,
    recordCount: r.recordCount ?? null,
    fields: r.fields.map((f) => ({ name: f.name, dataType: f.dataType, description: f.description })),
    shareAttribute: r.shareAttribute,
    shareBasis: r.shareBasis ?? undefined,
    openAttribute: r.openAttribute,
    openBasis: r.openBasis ?? undefined,
    retentionMonths: r.retentionMonths ?? null,
    collection: r.collection ?? {},
    hasPi: !!pi && ((pi.records ?? 0) > 0 || (pi.people ?? 0) > 0 || !!pi.sensitive),
    piRecords: pi?.records ?? null,
    piPeople: pi?.people ?? null,
    piSensitive: pi?.sensitive ?? false,
    published: r.published,
  };
}

function toBody(v: Values): Omit<ResourceCreate, 'systemId'> {
  const collection: CollectionRecord = {};
  for (const k of ['purpose', 'legalBasis', 'method', 'frequency', 'scope'] as const) {
    const s = trim(v.collection?.[k]);
    if (s) collection[k] = s;
  }
  return {
    name: v.name.trim(),
    description: trim(v.description),
    updateFrequency: v.updateFrequency ?? null,
    recordCount: v.recordCount ?? null,
    fields: (v.fields ?? [])
      .filter((f) => trim(f.name))
      .map((f) => ({ name: (f.name ?? '').trim(), dataType: (f.dataType ?? 'string') as FieldDataType, description: trim(f.description) ?? null })),
    shareAttribute: v.shareAttribute,
    shareBasis: v.shareAttribute === 'unconditional' ? null : (trim(v.shareBasis) ?? null),
    openAttribute: v.openAttribute,
    openBasis: v.openAttribute === 'open' ? null : (trim(v.openBasis) ?? null),
    retentionMonths: v.retentionMonths ?? null,
    collection,
    pi: v.hasPi ? { records: v.piRecords ?? 0, people: v.piPeople ?? 0, sensitive: !!v.piSensitive } : null,
    published: !!v.published,
  };
}

const req = (t: TFunction) => ({ required: true, whitespace: true, message: t('validation.required') });
const max = (t: TFunction, n: number) => ({ max: n, message: t('validation.max', { n }) });

export function ResourceFormDrawer({ resource, onClose, onSaved }: { resource?: ResourceDetail; onClose: () => void; onSaved?: (id: string) => void }) {
  const t = useT();
  const labels = useCatalogLabels();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const frequencyOptions = UPDATE_FREQUENCIES.map((f) => ({ value: f, label: labels.frequency(f) }));
  const [base, setBase] = useState(resource);
  const share = Form.useWatch('shareAttribute', form);
  const open = Form.useWatch('openAttribute', form);
  const hasPi = Form.useWatch('hasPi', form);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      if (!base) {
        const body: ResourceCreate = { ...toBody(v), systemId: v.systemId as string };
        return api.post<ResourceDetail>('/api/resources', body);
      }
      const body: ResourceUpdate = { ...toBody(v), version: base.version };
      return api.patch<ResourceDetail>(`/api/resources/${base.id}`, body);
    },
    onSuccess: (r) => {
      qc.invalidateQueries({ queryKey: ['resources'] });
      qc.invalidateQueries({ queryKey: ['grading', 'dashboard'] });
      message.success(base ? t('common.saved') : t('resource.created', { name: r.name }));
      onSaved?.(r.id);
      onClose();
    },
  });
  const conflict = save.error instanceof ApiError && save.error.code === 'VERSION_CONFLICT';
  const basisError = save.error instanceof ApiError && save.error.code === 'SHARE_BASIS_REQUIRED';

  const reload = async () => {
    if (!base) return;
    try {
      const fresh = await api.get<ResourceDetail>(`/api/resources/${base.id}`);
      qc.setQueryData(resourceKey(base.id), fresh);
      setBase(fresh);
      form.resetFields();
      form.setFieldsValue(toForm(fresh));
      save.reset();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const initial: Values = resource
    ? toForm(resource)
    : {
        name: '',
        fields: [{ name: '', dataType: 'string' }],
        shareAttribute: 'conditional',
        openAttribute: 'not_open',
        collection: {},
        hasPi: false,
        published: false,
      };

  return (
    <Drawer
      open
      size={900}
      title={resource ? t('resource.editTitle', { name: resource.name }) : t('resource.createTitle')}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="resource-form-drawer"
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="resource-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {conflict ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="resource-conflict"
          title={t('resource.conflictTitle')}
          description={save.error?.message}
          action={
            <Button icon={<ReloadOutlined />} onClick={reload} data-testid="resource-reload">
              {t('institution.reloadLatest')}
            </Button>
          }
        />
      ) : (
        <ErrorAlert error={save.error} testId="resource-form-error" />
      )}
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)} scrollToFirstError data-testid="resource-form">
        <Divider titlePlacement="start">{t('resource.section.basic')}</Divider>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item
              name="systemId"
              label={t('resource.system')}
              rules={[{ required: true, message: t('validation.required') }]}
              extra={resource ? undefined : t('resource.systemExtra')}
            >
              <SystemSelect testId="resource-form-system" allowClear={false} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('resource.name')} rules={[req(t), max(t, 200)]}>
              <Input maxLength={200} data-testid="resource-form-name" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="description" label={t('resource.description')} rules={[max(t, 2000)]}>
              <Input.TextArea rows={2} maxLength={2000} data-testid="resource-form-description" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="updateFrequency" label={t('resource.updateFrequency')}>
              <Select<UpdateFrequency> allowClear options={frequencyOptions} data-testid="resource-form-frequency" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="recordCount" label={t('resource.recordCount')}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="retentionMonths" label={t('resource.retentionMonths')} extra={t('resource.retentionExtra')}>
              <InputNumber min={1} max={1200} precision={0} style={{ width: '100%' }} suffix={t('resource.months')} data-testid="resource-form-retention" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start">{t('resource.section.fields')}</Divider>
        <Form.List
          name="fields"
          rules={[
            {
              validator: async (_r, list: Partial<FieldInput>[] | undefined) => {
                const names = (list ?? []).map((f) => f?.name?.trim()).filter(Boolean);
                if (names.length === 0) throw new Error(t('resource.fieldsRequired'));
                const dup = names.find((n, i) => names.indexOf(n) !== i);
                if (dup) throw new Error(t('resource.fieldDuplicate', { name: dup }));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <div data-testid="resource-form-fields">
              {fields.map((field, i) => (
                <Space key={field.key} align="baseline" wrap data-testid="resource-form-field-row" style={{ display: 'flex' }}>
                  <Typography.Text type="secondary" style={{ width: 24, display: 'inline-block' }}>
                    {i + 1}
                  </Typography.Text>
                  <Form.Item name={[field.name, 'name']} rules={[req(t), max(t, 100)]}>
                    <Input placeholder={t('field.name')} maxLength={100} style={{ width: 180 }} data-testid="field-name" />
                  </Form.Item>
                  <Form.Item name={[field.name, 'dataType']} rules={[{ required: true, message: t('validation.required') }]}>
                    <Select<FieldDataType>
                      placeholder={t('field.dataType')}
                      style={{ width: 170 }}
                      options={FIELD_DATA_TYPES.map((d) => ({ value: d, label: labels.dataType(d) }))}
                      data-testid="field-type"
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'description']} rules={[max(t, 500)]}>
                    <Input placeholder={t('field.description')} maxLength={500} style={{ width: 300 }} data-testid="field-description" />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common.remove')} data-testid="field-remove" />
                </Space>
              ))}
              <Form.ErrorList errors={errors} />
              <Button
                type="dashed"
                onClick={() => add({ name: '', dataType: 'string' })}
                icon={<PlusOutlined />}
                disabled={fields.length >= 500}
                data-testid="resource-form-field-add"
              >
                {t('resource.addField')}
              </Button>
            </div>
          )}
        </Form.List>

        <Divider titlePlacement="start">{t('resource.section.attributes')}</Divider>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="shareAttribute" label={t('resource.shareAttribute')} rules={[{ required: true, message: t('validation.required') }]}>
              <Radio.Group
                optionType="button"
                options={SHARE_ATTRIBUTES.map((s) => ({ value: s, label: t(SHARE_LABEL[s]) }))}
                data-testid="resource-form-share"
              />
            </Form.Item>
            {share && share !== 'unconditional' && (
              <Form.Item
                name="shareBasis"
                label={t('resource.shareBasis')}
                extra={t('resource.shareBasisExtra')}
                rules={[req(t), max(t, 1000)]}
                validateStatus={basisError ? 'error' : undefined}
              >
                <Input.TextArea rows={2} maxLength={1000} data-testid="resource-form-share-basis" />
              </Form.Item>
            )}
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="openAttribute" label={t('resource.openAttribute')} rules={[{ required: true, message: t('validation.required') }]}>
              <Radio.Group optionType="button" options={OPEN_ATTRIBUTES.map((s) => ({ value: s, label: t(OPEN_LABEL[s]) }))} data-testid="resource-form-open" />
            </Form.Item>
            {open && open !== 'open' && (
              <Form.Item name="openBasis" label={t('resource.openBasis')} rules={[max(t, 1000)]}>
                <Input.TextArea rows={2} maxLength={1000} data-testid="resource-form-open-basis" />
              </Form.Item>
            )}
          </Col>
        </Row>

        <Divider titlePlacement="start">{t('resource.section.collection')}</Divider>
        <Typography.Paragraph type="secondary">{t('resource.collectionIntro')}</Typography.Paragraph>
        <Row gutter={12} data-testid="resource-form-collection">
          <Col xs={24} md={12}>
            <Form.Item name={['collection', 'purpose']} label={t('collection.purpose')} rules={[max(t, 1000)]}>
              <Input.TextArea rows={2} maxLength={1000} data-testid="collection-purpose" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name={['collection', 'legalBasis']} label={t('collection.legalBasis')} rules={[max(t, 1000)]}>
              <Input.TextArea rows={2} maxLength={1000} data-testid="collection-legal-basis" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={['collection', 'method']} label={t('collection.method')} rules={[max(t, 1000)]}>
              <Input maxLength={1000} data-testid="collection-method" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={['collection', 'frequency']} label={t('collection.frequency')} rules={[max(t, 1000)]}>
              <AutoComplete options={frequencyOptions.map((o) => ({ value: o.label }))} maxLength={1000} data-testid="collection-frequency" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={['collection', 'scope']} label={t('collection.scope')} rules={[max(t, 1000)]}>
              <Input maxLength={1000} data-testid="collection-scope" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start">{t('resource.section.pi')}</Divider>
        <Form.Item name="hasPi" label={t('resource.hasPi')} valuePropName="checked" extra={t('resource.hasPiExtra')}>
          <Switch data-testid="resource-form-has-pi" />
        </Form.Item>
        {hasPi && (
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <Form.Item name="piRecords" label={t('pi.records')} rules={[{ required: true, message: t('validation.required') }]}>
                <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="resource-form-pi-records" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="piPeople" label={t('pi.people')} rules={[{ required: true, message: t('validation.required') }]}>
                <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="resource-form-pi-people" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="piSensitive" label={t('pi.sensitive')} valuePropName="checked" tooltip={t('pi.sensitiveHint')}>
                <Switch data-testid="resource-form-pi-sensitive" />
              </Form.Item>
            </Col>
          </Row>
        )}

        <Divider titlePlacement="start">{t('resource.section.publish')}</Divider>
        <Form.Item name="published" label={t('resource.published')} valuePropName="checked" extra={t('resource.publishedExtra')}>
          <Switch data-testid="resource-form-published" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
