// 数据资源目录: the catalog of data resources (AST-4) the user can read — their institutions' own and the
// published shared catalog — with Chinese substring search and filters, 新建资源, 导入 and 导出.
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Dropdown, Empty, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, withQuery } from '../api.ts';
import {
  GRADING_STATUS_LABEL,
  GRADING_STATUSES,
  GradingStatusTag,
  isLevel,
  LEVEL_LABEL,
  LEVELS,
  LevelTag,
  OPEN_LABEL,
  optionsOf,
  SHARE_ATTRIBUTES,
  SHARE_LABEL,
  ShareTag,
} from '../components/catalog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../components/institutions.tsx';
import { serverPagination, useListFilters } from '../components/paging.ts';
import { fmtDateTime } from '../format.ts';
import { useT } from '../i18n.tsx';
import { useCan } from '../session.tsx';
import type { GradingStatus, LevelCode, OpenAttribute, Paged, ResourceQuery, ResourceSummary, ShareAttribute } from '../types.ts';
import { ImportModal } from './catalog/ImportModal.tsx';
import { ResourceFormDrawer } from './catalog/ResourceFormDrawer.tsx';

type Filters = ResourceQuery & { page: number; pageSize: number };
type YesNoFilter = 'yes' | 'no';
const yn = (v: boolean | undefined): YesNoFilter | undefined => (v === undefined ? undefined : v ? 'yes' : 'no');
const bool = (v: YesNoFilter | undefined): boolean | undefined => (v === undefined ? undefined : v === 'yes');

export default function CatalogPage() {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  // The dashboard links here with a level or an institution as the starting filter.
  const { f, setF, set, qInput, setQInput, reset } = useListFilters<Filters>(() => {
    const level = params.get('level');
    const gradingStatus = params.get('gradingStatus');
    return {
      page: 1,
      pageSize: 20,
      institutionId: params.get('institutionId') ?? undefined,
      level: isLevel(level) ? level : undefined,
      gradingStatus: GRADING_STATUSES.find((g) => g === gradingStatus),
    };
  });
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const query = useQuery({
    queryKey: ['resources', 'list', f],
    queryFn: () => api.get<Paged<ResourceSummary>>('/api/resources', { ...f }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(f.q || f.institutionId || f.level || f.shareAttribute || f.pi !== undefined || f.gradingStatus || f.published !== undefined);

  const exportAs = async (format: 'xlsx' | 'csv' | 'json') => {
    setExporting(true);
    try {
      await api.download(withQuery('/api/catalog/export', { format, institutionId: f.institutionId }), `${t('export.fileName')}.${format}`);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setExporting(false);
    }
  };

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.catalog')}
        </Typography.Title>
        <Space wrap>
          <Link to="/catalog/pi-inventory" data-testid="pi-inventory-link">
            <Button>{t('piInv.open')}</Button>
          </Link>
          <Dropdown
            menu={{
              items: [
                { key: 'xlsx', label: <span data-testid="export-xlsx">{t('export.xlsx')}</span> },
                { key: 'csv', label: <span data-testid="export-csv">{t('export.csv')}</span> },
                { key: 'json', label: <span data-testid="export-json">{t('export.json')}</span> },
              ],
              onClick: ({ key }) => exportAs(key as 'xlsx' | 'csv' | 'json'),
            }}
          >
            <Button icon={<DownloadOutlined />} loading={exporting} data-testid="catalog-export">
              {t('export.button')}
            </Button>
          </Dropdown>
          {can('catalog.manage') && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="catalog-import">
              {t('import.button')}
            </Button>
          )}
          {can('catalog.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="resource-create">
              {t('resource.create')}
            </Button>
          )}
        </Space>
      </Space>
      <Card size="small">
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('resource.searchPlaceholder')}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            maxLength={100}
            style={{ width: 280 }}
            data-testid="resource-search"
          />
          <InstitutionTreeSelect
            testId="resource-filter-institution"
            value={f.institutionId}
            onChange={(v) => set({ institutionId: v })}
            style={{ width: 220 }}
          />
          <Select<LevelCode>
            allowClear
            placeholder={t('resource.level')}
            style={{ width: 150 }}
            value={f.level}
            onChange={(v) => set({ level: v })}
            options={optionsOf(LEVELS, LEVEL_LABEL, t)}
            data-testid="resource-filter-level"
          />
          <Select<ShareAttribute>
            allowClear
            placeholder={t('resource.shareAttribute')}
            style={{ width: 130 }}
            value={f.shareAttribute}
            onChange={(v) => set({ shareAttribute: v })}
            options={optionsOf(SHARE_ATTRIBUTES, SHARE_LABEL, t)}
            data-testid="resource-filter-share"
          />
          <Select<YesNoFilter>
            allowClear
            placeholder={t('resource.piFilter')}
            style={{ width: 140 }}
            value={yn(f.pi)}
            onChange={(v) => set({ pi: bool(v) })}
            options={[
              { value: 'yes', label: t('resource.piYes') },
              { value: 'no', label: t('resource.piNo') },
            ]}
            data-testid="resource-filter-pi"
          />
          <Select<GradingStatus>
            allowClear
            placeholder={t('resource.gradingStatus')}
            style={{ width: 130 }}
            value={f.gradingStatus}
            onChange={(v) => set({ gradingStatus: v })}
            options={optionsOf(GRADING_STATUSES, GRADING_STATUS_LABEL, t)}
            data-testid="resource-filter-grading"
          />
          <Select<YesNoFilter>
            allowClear
            placeholder={t('resource.publishedFilter')}
            style={{ width: 130 }}
            value={yn(f.published)}
            onChange={(v) => set({ published: bool(v) })}
            options={[
              { value: 'yes', label: t('resource.publishedYes') },
              { value: 'no', label: t('resource.publishedNo') },
            ]}
            data-testid="resource-filter-published"
          />
          <Button onClick={reset}>{t('common.reset')}</Button>
        </Space>
        <ErrorAlert error={query.error} />
        <Table<ResourceSummary>
          rowKey="id"
          size="middle"
          data-testid="resource-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: <Empty description={filtered ? t('common.noMatch') : t('resource.empty')} /> }}
          onRow={(r) => ({ onClick: () => navigate(`/catalog/${r.id}`), style: { cursor: 'pointer' } })}
          pagination={serverPagination(f, setF, query.data?.total, t)}
          scroll={{ x: 1400 }}
          columns={[
            {
              title: t('resource.name'),
              dataIndex: 'name',
              render: (name: string, r) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/catalog/${r.id}`} data-testid="resource-open" onClick={(e) => e.stopPropagation()}>
                    {name}
                  </Link>
                  {r.description && (
                    <Typography.Text type="secondary" ellipsis={{ tooltip: r.description }} style={{ maxWidth: 280, fontSize: 12 }}>
                      {r.description}
                    </Typography.Text>
                  )}
                  {r.matchedFields.length > 0 && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="resource-matched-fields">
                      {t('resource.matchedFields', { names: r.matchedFields.join('、') })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t('resource.system'), dataIndex: 'systemName', width: 170 },
            { title: t('resource.institution'), dataIndex: 'institutionName', width: 140 },
            { title: t('resource.shareAttribute'), dataIndex: 'shareAttribute', width: 110, render: (v: ShareAttribute) => <ShareTag value={v} /> },
            { title: t('resource.openAttribute'), dataIndex: 'openAttribute', width: 110, render: (v: OpenAttribute) => t(OPEN_LABEL[v]) },
            { title: t('resource.level'), dataIndex: 'level', width: 140, render: (v: string | null) => (v ? <LevelTag level={v} /> : '—') },
            { title: t('resource.gradingStatus'), dataIndex: 'gradingStatus', width: 100, render: (v: GradingStatus) => <GradingStatusTag status={v} /> },
            {
              title: t('resource.pi'),
              dataIndex: 'holdsPi',
              width: 90,
              render: (v?: boolean) =>
                v ? (
                  <Tooltip title={t('resource.piYes')}>
                    <Tag color="purple">{t('resource.piShort')}</Tag>
                  </Tooltip>
                ) : (
                  '—'
                ),
            },
            {
              title: t('resource.published'),
              dataIndex: 'published',
              width: 90,
              render: (v: boolean) =>
                v ? <Tag color="cyan">{t('resource.publishedYes')}</Tag> : <Typography.Text type="secondary">{t('resource.publishedNo')}</Typography.Text>,
            },
            { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: string) => fmtDateTime(v) },
          ]}
        />
      </Card>
      {creating && <ResourceFormDrawer onClose={() => setCreating(false)} onSaved={(id) => navigate(`/catalog/${id}`)} />}
      {importing && <ImportModal onClose={() => setImporting(false)} />}
    </div>
  );
}
