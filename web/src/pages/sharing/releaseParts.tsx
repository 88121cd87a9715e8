// Pieces of the open-data pages (LIF-7): status tags and the quasi-identifier editor — which fields, combined,
// could single a person out, and how each is coarsened (its generalisation hierarchy, as the k-anonymity
// check of the protection module takes them: number bands, date → month → year, address → district → city →
// province, a prefix, or suppression).
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, type FormInstance, Input, Select, Space, Tag, Typography } from 'antd';
import { type MessageKey, useT } from '../../i18n.tsx';
import type { Hierarchy, QuasiIdentifier, ReleaseStatus } from '../../openDataTypes.ts';

export const RELEASE_STATUS_LABEL: Record<ReleaseStatus, MessageKey> = {
  draft: 'openData.status.draft',
  submitted: 'openData.status.submitted',
  published: 'openData.status.published',
  rejected: 'openData.status.rejected',
  withdrawn: 'openData.status.withdrawn',
};
const STATUS_COLORS: Record<ReleaseStatus, string> = { draft: 'default', submitted: 'gold', published: 'green', rejected: 'red', withdrawn: 'default' };

export function ReleaseStatusTag({ status, testId = 'release-status' }: { status: ReleaseStatus; testId?: string }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={testId} data-status={status}>
      {t(RELEASE_STATUS_LABEL[status])}
    </Tag>
  );
}

export type HierarchyType = Hierarchy['type'];
const TYPES: HierarchyType[] = ['number', 'date', 'address', 'prefix', 'suppress'];
const TYPE_LABEL: Record<HierarchyType, MessageKey> = {
  number: 'openData.qi.type.number',
  date: 'openData.qi.type.date',
  address: 'openData.qi.type.address',
  prefix: 'openData.qi.type.prefix',
  suppress: 'openData.qi.type.suppress',
};
const ADDRESS_LEVELS = ['street', 'district', 'city', 'province'] as const;
type AddressLevel = (typeof ADDRESS_LEVELS)[number];
const ADDRESS_LABEL: Record<AddressLevel, MessageKey> = {
  street: 'openData.qi.addr.street',
  district: 'openData.qi.addr.district',
  city: 'openData.qi.addr.city',
  province: 'openData.qi.addr.province',
};

/** One row of the editor as the form holds it (numbers typed as "5, 10"). */
export interface QiRow {
  field?: string;
  type?: HierarchyType;
  widths?: string;
  integer?: boolean;
  levels?: AddressLevel[];
  keep?: string;
}

const numberList = (s: string | undefined): number[] =>
  (s ?? '')
    .split(/[\s,，、]+/)
    .filter(Boolean)
    .map(Number);

/** The editor's rows as the API's quasi-identifiers; throws a message key when a row is incomplete. */
export function toQuasiIdentifiers(rows: QiRow[] | undefined): QuasiIdentifier[] {
  return (rows ?? []).map((r) => {
    if (!r.field || !r.type) throw new Error('openData.qi.incomplete');
    let hierarchy: Hierarchy;
    if (r.type === 'number') {
      const widths = numberList(r.widths);
      if (widths.length === 0 || widths.some((w) => !(w > 0))) throw new Error('openData.qi.widthsInvalid');
      hierarchy = r.integer ? { type: 'number', widths, integer: true } : { type: 'number', widths };
    } else if (r.type === 'prefix') {
      const keep = numberList(r.keep);
      if (keep.length === 0 || keep.some((k) => !Number.isInteger(k) || k < 0)) throw new Error('openData.qi.keepInvalid');
      hierarchy = { type: 'prefix', keep };
    } else if (r.type === 'address') {
      hierarchy = r.levels && r.levels.length > 0 ? { type: 'address', levels: ADDRESS_LEVELS.filter((l) => r.levels?.includes(l)) } : { type: 'address' };
    } else if (r.type === 'date') {
      hierarchy = { type: 'date' };
    } else {
      hierarchy = { type: 'suppress' };
    }
    return { field: r.field, hierarchy };
  });
}

/** A sensible first hierarchy for a field from its type and name. */
export function suggestType(dataType: string | undefined, name: string): HierarchyType {
  if (dataType === 'date' || dataType === 'datetime' || /日期|生日|date|birth|csrq/i.test(name)) return 'date';
  if (dataType === 'integer' || dataType === 'decimal' || /年龄|age/i.test(name)) return 'number';
  if (/地址|住址|address|dz$/i.test(name)) return 'address';
  if (/邮编|代码|code|zip/i.test(name)) return 'prefix';
  return 'suppress';
}

/** How a stored hierarchy reads in a sentence. */
export function describeHierarchy(h: Record<string, unknown>, t: ReturnType<typeof useT>): string {
  const type = h.type as HierarchyType;
  const base = TYPE_LABEL[type] ? t(TYPE_LABEL[type]) : String(type);
  if (type === 'number' && Array.isArray(h.widths)) return `${base}（${(h.widths as number[]).join(' → ')}）`;
  if (type === 'prefix' && Array.isArray(h.keep)) return `${base}（${(h.keep as number[]).join(' → ')}）`;
  if (type === 'address' && Array.isArray(h.levels))
    return `${base}（${(h.levels as AddressLevel[]).map((l) => (ADDRESS_LABEL[l] ? t(ADDRESS_LABEL[l]) : l)).join(' → ')}）`;
  return base;
}

export function QuasiIdentifierEditor({ form, fieldOptions, dataTypes }: { form: FormInstance; fieldOptions: string[]; dataTypes: Map<string, string> }) {
  const t = useT();
  return (
    <Form.List name="quasiIdentifiers">
      {(rows, { add, remove }) => (
        <div data-testid="qi-editor">
          {rows.map((row) => (
            <Space key={row.key} align="start" wrap style={{ display: 'flex', marginBottom: 4 }} data-testid="qi-row">
              <Form.Item name={[row.name, 'field']} rules={[{ required: true, message: t('openData.qi.fieldRequired') }]}>
                <Select
                  style={{ width: 180 }}
                  placeholder={t('openData.qi.field')}
                  options={fieldOptions.map((f) => ({ value: f, label: f }))}
                  onChange={(f: string) => form.setFieldValue(['quasiIdentifiers', row.name, 'type'], suggestType(dataTypes.get(f), f))}
                  data-testid="qi-field"
                />
              </Form.Item>
              <Form.Item name={[row.name, 'type']} rules={[{ required: true, message: t('openData.qi.typeRequired') }]}>
                <Select
                  style={{ width: 190 }}
                  placeholder={t('openData.qi.type')}
                  options={TYPES.map((ty) => ({ value: ty, label: t(TYPE_LABEL[ty]) }))}
                  data-testid="qi-type"
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {() => {
                  const type = form.getFieldValue(['quasiIdentifiers', row.name, 'type']) as HierarchyType | undefined;
                  if (type === 'number') {
                    return (
                      <Space align="start">
                        <Form.Item
                          name={[row.name, 'widths']}
                          rules={[{ required: true, message: t('openData.qi.widthsRequired') }]}
                          extra={t('openData.qi.widthsHint')}
                        >
                          <Input style={{ width: 150 }} placeholder="5, 10, 20" data-testid="qi-widths" />
                        </Form.Item>
                        <Form.Item name={[row.name, 'integer']} valuePropName="checked">
                          <Checkbox>{t('openData.qi.integer')}</Checkbox>
                        </Form.Item>
                      </Space>
                    );
                  }
                  if (type === 'prefix') {
                    return (
                      <Form.Item
                        name={[row.name, 'keep']}
                        rules={[{ required: true, message: t('openData.qi.keepRequired') }]}
                        extra={t('openData.qi.keepHint')}
                      >
                        <Input style={{ width: 150 }} placeholder="4, 2" data-testid="qi-keep" />
                      </Form.Item>
                    );
                  }
                  if (type === 'address') {
                    return (
                      <Form.Item name={[row.name, 'levels']} extra={t('openData.qi.levelsHint')}>
                        <Select
                          mode="multiple"
                          style={{ width: 240 }}
                          placeholder={t('openData.qi.levels')}
                          options={ADDRESS_LEVELS.map((l) => ({ value: l, label: t(ADDRESS_LABEL[l]) }))}
                        />
                      </Form.Item>
                    );
                  }
                  return type ? (
                    <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>
                      {t(type === 'date' ? 'openData.qi.dateHint' : 'openData.qi.suppressHint')}
                    </Typography.Text>
                  ) : null;
                }}
              </Form.Item>
              <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(row.name)} aria-label={t('common.remove')} />
            </Space>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} disabled={rows.length >= 8} data-testid="qi-add">
            {t('openData.qi.add')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}
