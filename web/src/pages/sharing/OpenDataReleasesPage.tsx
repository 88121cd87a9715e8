// 数据开放 (LIF-7, HZ-26, GZ-17): open-data releases within reach. A provider proposes one — which resource,
// which fields, the quasi-identifiers with their generalisation hierarchies and k, the licence — and then runs
// the checks and submits it on the release's page; the authority reviews submitted ones there (开放审核).
import { GlobalOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AutoComplete, Button, Card, Checkbox, Drawer, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { RELEASE_STATUSES } from '../../../../src/modules/sharing/open-data.schemas.ts';
import { api } from '../../api.ts';
import { LevelTag } from '../../components/catalog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { serverPagination, useListFilters } from '../../components/paging.ts';
import { fmtDateTime } from '../../format.ts';
import { type MessageKey, useT } from '../../i18n.tsx';
import type { Release, ReleaseCreate, ReleaseList, ReleaseQuery, ReleaseStatus, ReleaseSummary } from '../../openDataTypes.ts';
import { useCan } from '../../session.tsx';
import type { Paged, ResourceDetail, ResourceSummary } from '../../types.ts';
import { type QiRow, QuasiIdentifierEditor, RELEASE_STATUS_LABEL, ReleaseStatusTag, toQuasiIdentifiers } from './releaseParts.tsx';

type Filters = ReleaseQuery & { page: number; pageSize: number };
export const RELEASES_KEY = ['open-data', 'releases'] as const;

/** Licences people commonly pick; any other text is accepted. */
const LICENCES = ['CC BY 4.0', 'CC0 1.0', '开放数据署名许可', '开放数据无条件使用'];

interface ProposeForm {
  resourceId: string;
  title: string;
  description: string;
  fields: string[];
  quasiIdentifiers?: QiRow[];
  k: number;
  maxSuppression?: number;
  licence: string;
}

function ProposeDrawer({ onClose }: { onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<ProposeForm>();
  const [q, setQ] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const resourceId = Form.useWatch('resourceId', form);
  const chosenFields = Form.useWatch('fields', form) ?? [];
  const resources = useQuery({
    queryKey: ['open-data', 'resources', q],
    queryFn: () => api.get<Paged<ResourceSummary>>('/api/resources', { q: q || undefined, pageSize: 30 }),
  });
  const resource = useQuery({
    queryKey: ['open-data', 'resource', resourceId],
    queryFn: () => api.get<ResourceDetail>(`/api/resources/${resourceId}`),
    enabled: !!resourceId,
  });
  const dataTypes = new Map((resource.data?.fields ?? []).map((f) => [f.name, f.dataType as string]));
  const create = useMutation({
    mutationFn: (body: ReleaseCreate) => api.post<Release>('/api/open-data/releases', body),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: RELEASES_KEY });
      navigate(`/sharing/open-data/${r.id}`);
    },
  });
  const submit = (v: ProposeForm) => {
    setFormError(null);
    let quasiIdentifiers: ReleaseCreate['quasiIdentifiers'];
    try {
      quasiIdentifiers = toQuasiIdentifiers(v.quasiIdentifiers);
    } catch (e) {
      setFormError(t((e as Error).message as MessageKey));
      return;
    }
    // Keep the resource's own field order in the file.
    const order = (resource.data?.fields ?? []).map((f) => f.name);
    const fields = [...v.fields].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const body: ReleaseCreate = {
      resourceId: v.resourceId,
      title: v.title.trim(),
      description: v.description.trim(),
      fields,
      quasiIdentifiers,
      k: v.k,
      licence: v.licence.trim(),
    };
    if (v.maxSuppression) body.maxSuppression = v.maxSuppression;
    create.mutate(body);
  };
  return (
    <Drawer
      open
      size={860}
      title={t('openData.propose.title')}
      onClose={onClose}
      destroyOnHidden
      data-testid="release-propose-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="release-propose-submit">
            {t('openData.propose.save')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('openData.propose.intro')}</Typography.Paragraph>
      <ErrorAlert error={create.error} />
      {formError && <ErrorAlert error={new Error(formError)} onClose={() => setFormError(null)} />}
      <Form<ProposeForm> form={form} layout="vertical" onFinish={submit} initialValues={{ k: 5, maxSuppression: 0, quasiIdentifiers: [] }}>
        <Form.Item name="resourceId" label={t('openData.resource')} rules={[{ required: true, message: t('openData.resourceRequired') }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: setQ }}
            placeholder={t('openData.pickResource')}
            loading={resources.isFetching}
            notFoundContent={resources.isFetching ? t('common.loading') : t('common.noMatch')}
            options={(resources.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.name} — ${r.institutionName}` }))}
            onChange={() => form.setFieldsValue({ fields: [], quasiIdentifiers: [] })}
            data-testid="release-resource"
          />
        </Form.Item>
        <ErrorAlert error={resource.error} />
        {resource.data && (
          <Form.Item
            name="fields"
            label={t('openData.fields')}
            rules={[{ required: true, message: t('openData.fieldsRequired') }]}
            extra={t('openData.fieldsHint')}
          >
            <Checkbox.Group style={{ width: '100%' }} data-testid="release-fields">
              <Space orientation="vertical">
                {resource.data.fields.map((f) => (
                  <Checkbox key={f.id} value={f.name} data-testid={`release-field-${f.name}`}>
                    <Space size={4}>
                      <span>{f.name}</span>
                      {f.description && <Typography.Text type="secondary">{f.description}</Typography.Text>}
                      <LevelTag level={f.level} testId="release-field-level" />
                      {f.piType && <Tag color="volcano">{t('openData.piField')}</Tag>}
                    </Space>
                  </Checkbox>
                ))}
              </Space>
            </Checkbox.Group>
          </Form.Item>
        )}
        <Form.Item label={t('openData.quasiIdentifiers')} extra={t('openData.quasiIdentifiersHint')}>
          <QuasiIdentifierEditor form={form} fieldOptions={chosenFields} dataTypes={dataTypes} />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item name="k" label={t('openData.k')} rules={[{ required: true }]} extra={t('openData.kHint')}>
            <InputNumber min={2} max={10000} precision={0} data-testid="release-k" />
          </Form.Item>
          <Form.Item name="maxSuppression" label={t('openData.maxSuppression')} extra={t('openData.maxSuppressionHint')}>
            <InputNumber min={0} precision={0} data-testid="release-max-suppression" />
          </Form.Item>
        </Space>
        <Form.Item name="title" label={t('openData.titleLabel')} rules={[{ required: true, whitespace: true, message: t('openData.titleRequired') }]}>
          <Input maxLength={200} data-testid="release-title" />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('openData.description')}
          rules={[{ required: true, whitespace: true, message: t('openData.descriptionRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={4000} showCount data-testid="release-description" />
        </Form.Item>
        <Form.Item name="licence" label={t('openData.licence')} rules={[{ required: true, whitespace: true, message: t('openData.licenceRequired') }]}>
          <AutoComplete options={LICENCES.map((l) => ({ value: l }))} placeholder={t('openData.licencePlaceholder')} data-testid="release-licence" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

export default function OpenDataReleasesPage() {
  const t = useT();
  const can = useCan();
  const approver = can('sharing.approve');
  const [proposing, setProposing] = useState(false);
  const { f, setF, set, qInput, setQInput, reset } = useListFilters<Filters>(() => ({ page: 1, pageSize: 20 }));
  const query = useQuery({
    queryKey: [...RELEASES_KEY, f],
    queryFn: () => api.get<ReleaseList>('/api/open-data/releases', { ...f }),
    placeholderData: keepPreviousData,
  });
  return (
    <Card
      title={
        <Space>
          <GlobalOutlined />
          <span data-testid="open-data-title">{t(approver ? 'openData.titleAuthority' : 'openData.title')}</span>
        </Space>
      }
      extra={
        <Space>
          <Link to="/open" target="_blank" data-testid="open-data-portal-link">
            {t('openData.portal')}
          </Link>
          {can('sharing.provide') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setProposing(true)} data-testid="release-propose">
              {t('openData.propose.button')}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t(approver ? 'openData.introAuthority' : 'openData.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('openData.search')}
          style={{ width: 280 }}
          value={qInput}
          onChange={(e) => {
            setQInput(e.target.value);
            if (!e.target.value) set({ q: undefined });
          }}
          onSearch={(v) => set({ q: v.trim() || undefined })}
          data-testid="release-search"
        />
        <Select<ReleaseStatus>
          allowClear
          placeholder={t('common.status')}
          style={{ width: 140 }}
          value={f.status}
          onChange={(v) => set({ status: v })}
          options={RELEASE_STATUSES.map((s) => ({ value: s, label: t(RELEASE_STATUS_LABEL[s]) }))}
          data-testid="release-filter-status"
        />
        <Button onClick={reset}>{t('common.reset')}</Button>
      </Space>
      <ErrorAlert error={query.error} />
      <Table<ReleaseSummary>
        rowKey="id"
        size="middle"
        data-testid="release-table"
        loading={query.isFetching}
        dataSource={query.data?.items ?? []}
        locale={{ emptyText: t('openData.empty') }}
        pagination={serverPagination(f, setF, query.data?.total, t)}
        onRow={(r) => ({ 'data-release-id': r.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('openData.number'),
            dataIndex: 'number',
            width: 150,
            render: (v: string, r) => (
              <Link to={`/sharing/open-data/${r.id}`} data-testid="release-link">
                {v}
              </Link>
            ),
          },
          { title: t('openData.titleLabel'), dataIndex: 'title' },
          { title: t('openData.resource'), key: 'resource', render: (_v, r) => r.resource.name },
          { title: t('openData.institution'), key: 'inst', width: 180, render: (_v, r) => r.institution.name },
          {
            title: t('common.status'),
            dataIndex: 'status',
            width: 100,
            render: (s: ReleaseStatus) => <ReleaseStatusTag status={s} testId="release-row-status" />,
          },
          {
            title: t('openData.checks'),
            key: 'checks',
            width: 110,
            render: (_v, r) =>
              r.checkedAt ? (
                <Tag color={r.checksPassed ? 'green' : 'red'}>{t(r.checksPassed ? 'openData.checksPassed' : 'openData.checksFailed')}</Tag>
              ) : (
                <Tag>{t('openData.checksNotRun')}</Tag>
              ),
          },
          { title: t('openData.proposedBy'), key: 'by', width: 140, render: (_v, r) => r.proposedBy.displayName },
          { title: t('openData.downloads'), dataIndex: 'downloads', width: 90, align: 'right' },
          { title: t('common.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
        ]}
      />
      {proposing && <ProposeDrawer onClose={() => setProposing(false)} />}
    </Card>
  );
}
