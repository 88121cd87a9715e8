// 分级 (CLS-2..4): a data steward picks categories from the published scheme, records the harms (object ×
// degree × reason), sees the level the matrix proposes (POST /api/grading/determine, live), chooses it or
// overrides it with a reason, and labels each field (level, category, PI type). The proposal then waits
// for a security officer's approval. When the resource's latest accepted sensitive-data scan holds field
// labels (issue 4), the PI type, sensitive flag and level start from them, with a note to check them.
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Divider, Drawer, Empty, Form, Input, Select, Space, Spin, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api.ts';
import {
  CategoryTreeSelect,
  categoryPaths,
  HARM_DEGREE_LABEL,
  HARM_DEGREES,
  HARM_OBJECT_LABEL,
  HARM_OBJECTS,
  isLevel,
  LEVEL_LABEL,
  LEVELS,
  LevelTag,
  levelRank,
  optionsOf,
  PI_TYPES,
  useCatalogLabels,
  usePublishedScheme,
} from '../../components/catalog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { Determination, Field, FieldLabel, Grading, GradingCreate, HarmDegree, HarmObject, LevelCode, ResourceDetail } from '../../types.ts';
import { type ScanPrefill, useScanPrefill } from '../discovery/prefill.ts';

interface HarmRow {
  object?: HarmObject;
  degree?: HarmDegree;
  reason?: string;
}
interface LabelRow {
  category?: string;
  level?: LevelCode;
  piType?: string;
  piSensitive: boolean;
}
interface Values {
  categories: string[];
  harms: HarmRow[];
  chosenLevel?: LevelCode;
  overrideReason?: string;
  labels: Record<string, LabelRow>;
}

function initialLabels(fields: Field[], prefill: ScanPrefill | null): Record<string, LabelRow> {
  const out: Record<string, LabelRow> = {};
  for (const f of fields) {
    out[f.id] = {
      category: f.category ?? undefined,
      level: isLevel(f.level) ? f.level : undefined,
      piType: f.piType ?? undefined,
      piSensitive: f.piSensitive,
    };
    // The scan's accepted labels (issue 4): its PI type and sensitive flag; its level where it set one.
    const p = prefill?.labels[f.id];
    if (p) out[f.id] = { ...out[f.id], piType: p.piType, piSensitive: p.piSensitive, level: p.level ?? out[f.id].level };
  }
  return out;
}

export function GradingDrawer({ resource, onClose }: { resource: ResourceDetail; onClose: () => void }) {
  const t = useT();
  const labels = useCatalogLabels();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const scheme = usePublishedScheme();
  const scan = useScanPrefill(resource);
  const [form] = Form.useForm<Values>();
  const [chosenTouched, setChosenTouched] = useState(false);

  const harms = Form.useWatch('harms', form) as HarmRow[] | undefined;
  const chosen = Form.useWatch('chosenLevel', form) as LevelCode | undefined;
  const fieldLabels = Form.useWatch('labels', form) as Record<string, LabelRow> | undefined;

  // The matrix proposal, recomputed whenever the complete harm rows change.
  const complete = useMemo(
    () =>
      (harms ?? [])
        .filter((h): h is Required<Pick<HarmRow, 'object' | 'degree'>> & HarmRow => !!h?.object && !!h?.degree)
        .map((h) => ({ object: h.object, degree: h.degree })),
    [harms],
  );
  const determine = useQuery({
    queryKey: ['grading', 'determine', complete],
    queryFn: () => api.post<Determination>('/api/grading/determine', { harms: complete }),
    enabled: complete.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const proposed = complete.length > 0 ? determine.data?.level : undefined;

  useEffect(() => {
    if (proposed && !chosenTouched) form.setFieldValue('chosenLevel', proposed);
  }, [proposed, chosenTouched, form]);

  const highestField = useMemo(() => {
    let top: LevelCode | null = null;
    for (const row of Object.values(fieldLabels ?? {})) if (row?.level && levelRank(row.level) > levelRank(top)) top = row.level;
    return top;
  }, [fieldLabels]);
  const belowField = !!chosen && !!highestField && levelRank(chosen) < levelRank(highestField);
  const overriding = !!chosen && !!proposed && chosen !== proposed;

  const propose = useMutation({
    mutationFn: (v: Values) => {
      const body: GradingCreate = {
        categories: v.categories,
        harms: v.harms.map((h) => ({ object: h.object as HarmObject, degree: h.degree as HarmDegree, reason: (h.reason ?? '').trim() })),
        chosenLevel: v.chosenLevel as LevelCode,
        overrideReason: overriding ? v.overrideReason?.trim() : undefined,
        fieldLabels: resource.fields
          .filter((f) => v.labels?.[f.id]?.level)
          .map((f): FieldLabel => {
            const l = v.labels[f.id];
            return {
              fieldId: f.id,
              level: l.level as LevelCode,
              category: l.category || undefined,
              piType: (l.piType || undefined) as FieldLabel['piType'],
              piSensitive: !!l.piType && !!l.piSensitive,
            };
          }),
      };
      return api.post<Grading>(`/api/resources/${resource.id}/gradings`, body);
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['resources'] });
      qc.invalidateQueries({ queryKey: ['gradings'] });
      qc.invalidateQueries({ queryKey: ['grading', 'dashboard'] });
      message.success(t('grading.proposed'));
      onClose();
    },
  });

  const tree = scheme.data?.categories ?? [];
  const paths = useMemo(() => categoryPaths(tree), [tree]);
  const usedObjects = new Set((harms ?? []).map((h) => h?.object).filter(Boolean));

  const labelAll = () => {
    if (!chosen) return;
    const cur = form.getFieldValue('labels') as Record<string, LabelRow>;
    const next: Record<string, LabelRow> = {};
    for (const f of resource.fields) next[f.id] = { ...cur[f.id], level: cur[f.id]?.level ?? chosen };
    form.setFieldValue('labels', next);
  };

  return (
    <Drawer
      open
      size={1000}
      title={t('grading.drawerTitle', { name: resource.name })}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="grading-drawer"
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={propose.isPending} disabled={!scheme.data || belowField} onClick={() => form.submit()} data-testid="grading-submit">
            {t('grading.submit')}
          </Button>
        </Space>
      }
    >
      {scheme.isPending || scan.pending ? (
        <Spin />
      ) : scheme.isError ? (
        <ErrorAlert error={scheme.error} />
      ) : !scheme.data ? (
        <Alert type="warning" showIcon title={t('grading.noScheme')} data-testid="grading-no-scheme" />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('grading.schemeUsed', { name: scheme.data.name, version: scheme.data.version })}</Typography.Paragraph>
          {scan.prefill && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="grading-prefilled"
              title={t('discovery.prefill.note')}
              description={t('discovery.prefill.from', {
                n: Object.keys(scan.prefill.labels).length,
                by: scan.prefill.accepted.by.displayName,
                at: fmtDateTime(scan.prefill.accepted.at),
              })}
            />
          )}
          <ErrorAlert error={propose.error} testId="grading-error" />
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={{
              categories: resource.categories,
              harms: [{}],
              labels: initialLabels(resource.fields, scan.prefill),
            }}
            onFinish={(v) => propose.mutate(v)}
            scrollToFirstError
            data-testid="grading-form"
          >
            <Divider titlePlacement="start">{t('grading.section.categories')}</Divider>
            <Form.Item
              name="categories"
              label={t('grading.categories')}
              extra={t('grading.categoriesExtra')}
              rules={[{ required: true, type: 'array', min: 1, message: t('grading.categoriesRequired') }]}
            >
              <CategoryTreeSelect tree={tree} multiple testId="grading-categories" style={{ width: '100%' }} />
            </Form.Item>

            <Divider titlePlacement="start">{t('grading.section.harms')}</Divider>
            <Typography.Paragraph type="secondary">{t('grading.harmsIntro')}</Typography.Paragraph>
            <Form.List
              name="harms"
              rules={[
                {
                  validator: async (_r: unknown, list: HarmRow[] | undefined) => {
                    if (!list || list.length === 0) throw new Error(t('grading.harmsRequired'));
                    const objs = list.map((h) => h?.object).filter(Boolean);
                    if (new Set(objs).size !== objs.length) throw new Error(t('grading.harmDuplicate'));
                  },
                },
              ]}
            >
              {(fields, { add, remove }, { errors }) => (
                <div data-testid="grading-harms">
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline" wrap data-testid="grading-harm-row" style={{ display: 'flex' }}>
                      <Form.Item name={[field.name, 'object']} rules={[{ required: true, message: t('grading.pickObject') }]}>
                        <Select<HarmObject>
                          placeholder={t('grading.harmObject')}
                          style={{ width: 150 }}
                          options={HARM_OBJECTS.map((o) => ({
                            value: o,
                            label: t(HARM_OBJECT_LABEL[o]),
                            disabled: usedObjects.has(o) && harms?.[field.name]?.object !== o,
                          }))}
                          data-testid="harm-object"
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'degree']} rules={[{ required: true, message: t('grading.pickDegree') }]}>
                        <Select<HarmDegree>
                          placeholder={t('grading.harmDegree')}
                          style={{ width: 150 }}
                          options={optionsOf(HARM_DEGREES, HARM_DEGREE_LABEL, t)}
                          data-testid="harm-degree"
                        />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'reason']}
                        rules={[
                          { required: true, whitespace: true, message: t('grading.reasonRequired') },
                          { max: 500, message: t('validation.max', { n: 500 }) },
                        ]}
                      >
                        <Input placeholder={t('grading.harmReason')} maxLength={500} style={{ width: 380 }} data-testid="harm-reason" />
                      </Form.Item>
                      {harms?.[field.name]?.object && harms?.[field.name]?.degree && determine.data && (
                        <LevelTag
                          level={determine.data.basis.find((b) => b.object === harms[field.name].object && b.degree === harms[field.name].degree)?.level}
                          testId="harm-level"
                        />
                      )}
                      <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common.remove')} />
                    </Space>
                  ))}
                  <Form.ErrorList errors={errors} />
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({})}
                    disabled={fields.length >= HARM_OBJECTS.length}
                    data-testid="grading-harm-add"
                  >
                    {t('grading.addHarm')}
                  </Button>
                </div>
              )}
            </Form.List>

            <Divider titlePlacement="start">{t('grading.section.level')}</Divider>
            <Card size="small" style={{ marginBottom: 16, background: '#fafafa' }} data-testid="grading-proposal">
              <Descriptions size="small" column={{ xs: 1, md: 2 }}>
                <Descriptions.Item label={t('grading.proposedLevel')}>
                  {complete.length === 0 ? (
                    <Typography.Text type="secondary">{t('grading.proposedHint')}</Typography.Text>
                  ) : determine.isError ? (
                    <Typography.Text type="danger">{(determine.error as Error).message}</Typography.Text>
                  ) : (
                    <Space size={4}>
                      <span data-testid="grading-proposed-level" data-level={proposed ?? ''}>
                        {proposed ? <LevelTag level={proposed} /> : <Spin size="small" />}
                      </span>
                      {determine.isFetching && <Spin size="small" />}
                    </Space>
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('grading.highestField')}>
                  {highestField ? <LevelTag level={highestField} /> : <Typography.Text type="secondary">{t('grading.noFieldLevels')}</Typography.Text>}
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <Space align="start" wrap>
              <Form.Item name="chosenLevel" label={t('grading.chosenLevel')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select<LevelCode>
                  style={{ width: 200 }}
                  options={optionsOf(LEVELS, LEVEL_LABEL, t)}
                  onChange={() => setChosenTouched(true)}
                  data-testid="grading-chosen-level"
                />
              </Form.Item>
              {overriding && (
                <Form.Item
                  name="overrideReason"
                  label={t('grading.overrideReason')}
                  extra={t('grading.overrideExtra')}
                  rules={[
                    { required: true, whitespace: true, message: t('grading.overrideRequired') },
                    { max: 1000, message: t('validation.max', { n: 1000 }) },
                  ]}
                  style={{ minWidth: 480 }}
                >
                  <Input.TextArea rows={2} maxLength={1000} data-testid="grading-override-reason" />
                </Form.Item>
              )}
            </Space>
            {belowField && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 16 }}
                data-testid="grading-below-field"
                title={t('grading.belowField', { level: t(LEVEL_LABEL[highestField as LevelCode]) })}
              />
            )}

            <Divider titlePlacement="start">{t('grading.section.fields')}</Divider>
            <Space style={{ marginBottom: 8 }}>
              <Typography.Text type="secondary">{t('grading.fieldsIntro')}</Typography.Text>
              <Button size="small" onClick={labelAll} disabled={!chosen} data-testid="grading-label-all">
                {t('grading.labelAll')}
              </Button>
            </Space>
            {resource.fields.length === 0 ? (
              <Empty description={t('resource.noFields')} />
            ) : (
              <Table<Field>
                size="small"
                rowKey="id"
                pagination={resource.fields.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                dataSource={resource.fields}
                data-testid="grading-field-labels"
                columns={[
                  {
                    title: t('field.name'),
                    dataIndex: 'name',
                    width: 160,
                    render: (n: string, f) => (
                      <Space orientation="vertical" size={0}>
                        <Space size={4}>
                          <Typography.Text strong>{n}</Typography.Text>
                          {scan.prefill?.labels[f.id] && (
                            <Tag color="geekblue" data-testid="grading-prefill-tag">
                              {t('discovery.prefill.tag')}
                            </Tag>
                          )}
                        </Space>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {labels.dataType(f.dataType)}
                          {f.description ? ` · ${f.description}` : ''}
                        </Typography.Text>
                      </Space>
                    ),
                  },
                  {
                    title: t('field.category'),
                    key: 'category',
                    render: (_v, f) => (
                      <Form.Item name={['labels', f.id, 'category']} noStyle>
                        <CategoryTreeSelect
                          tree={tree}
                          testId="field-label-category"
                          style={{ width: 220 }}
                          placeholder={paths.size ? t('grading.pickCategory') : undefined}
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('field.level'),
                    key: 'level',
                    width: 180,
                    render: (_v, f) => (
                      <Form.Item name={['labels', f.id, 'level']} noStyle>
                        <Select<LevelCode>
                          allowClear
                          style={{ width: 170 }}
                          placeholder={t('grading.pickLevel')}
                          options={optionsOf(LEVELS, LEVEL_LABEL, t)}
                          data-testid="field-label-level"
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('field.piType'),
                    key: 'piType',
                    width: 200,
                    render: (_v, f) => (
                      <Form.Item name={['labels', f.id, 'piType']} noStyle>
                        <Select<string>
                          allowClear
                          showSearch={{ optionFilterProp: 'label' }}
                          style={{ width: 190 }}
                          placeholder={t('grading.notPi')}
                          options={PI_TYPES.map((p) => ({ value: p, label: labels.piType(p) }))}
                          onChange={(v) => form.setFieldValue(['labels', f.id, 'piSensitive'], labels.piSensitiveDefault(v))}
                          data-testid="field-label-pi"
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('field.piSensitive'),
                    key: 'piSensitive',
                    width: 90,
                    render: (_v, f) => (
                      <Form.Item name={['labels', f.id, 'piSensitive']} valuePropName="checked" noStyle>
                        <Switch size="small" disabled={!fieldLabels?.[f.id]?.piType} data-testid="field-label-sensitive" />
                      </Form.Item>
                    ),
                  },
                ]}
              />
            )}
          </Form>
        </>
      )}
    </Drawer>
  );
}
