// 机构列表: server-side search (q), filters (kind, sector, status) and pagination over GET /api/institutions.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table, Tag } from 'antd';
import { INSTITUTION_KINDS, SECTORS } from '../../../../src/modules/org/org.constants.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { KindTag, useOrgLabels } from '../../components/institutions.tsx';
import { serverPagination, useListFilters } from '../../components/paging.ts';
import { useT } from '../../i18n.tsx';
import type { InstitutionKind, InstitutionPage, InstitutionSummary, Sector } from '../../types.ts';

interface Filters {
  q?: string;
  kind?: InstitutionKind;
  sector?: Sector;
  status?: 'active' | 'closed';
  page: number;
  pageSize: number;
}

export function InstitutionTable({ onOpen }: { onOpen: (id: string) => void }) {
  const t = useT();
  const labels = useOrgLabels();
  const { f, setF, set, qInput, setQInput, reset } = useListFilters<Filters>({ page: 1, pageSize: 20 });
  const query = useQuery({
    queryKey: ['institutions', 'list', f],
    queryFn: () => api.get<InstitutionPage>('/api/institutions', { ...f }),
    placeholderData: keepPreviousData,
  });

  return (
    <Card size="small">
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('institution.searchPlaceholder')}
          value={qInput}
          onChange={(e) => setQInput(e.target.value)}
          onSearch={(v) => set({ q: v.trim() || undefined })}
          maxLength={100}
          style={{ width: 260 }}
          data-testid="institution-search"
        />
        <Select<InstitutionKind>
          allowClear
          placeholder={t('institution.kind')}
          style={{ width: 200 }}
          value={f.kind}
          onChange={(v) => set({ kind: v })}
          options={INSTITUTION_KINDS.map((k) => ({ value: k, label: labels.kind(k) }))}
          data-testid="institution-filter-kind"
        />
        <Select<Sector>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('institution.sector')}
          style={{ width: 200 }}
          value={f.sector}
          onChange={(v) => set({ sector: v })}
          options={SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))}
          data-testid="institution-filter-sector"
        />
        <Select<'active' | 'closed'>
          allowClear
          placeholder={t('common.status')}
          style={{ width: 140 }}
          value={f.status}
          onChange={(v) => set({ status: v })}
          options={[
            { value: 'active', label: t('institution.statusActive') },
            { value: 'closed', label: t('institution.statusClosed') },
          ]}
          data-testid="institution-filter-status"
        />
        <Button onClick={reset}>{t('common.reset')}</Button>
      </Space>
      <ErrorAlert error={query.error} />
      <Table<InstitutionSummary>
        rowKey="id"
        size="middle"
        data-testid="institution-table"
        loading={query.isFetching}
        dataSource={query.data?.items ?? []}
        pagination={serverPagination(f, setF, query.data?.total, t)}
        columns={[
          {
            title: t('institution.name'),
            dataIndex: 'name',
            render: (name: string, r) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(r.id)}>
                {name}
              </Button>
            ),
          },
          { title: t('institution.kind'), dataIndex: 'kind', render: (k: InstitutionKind) => <KindTag kind={k} /> },
          { title: t('institution.adminLevel'), dataIndex: 'adminLevel', render: (l: InstitutionSummary['adminLevel']) => labels.level(l) },
          { title: t('institution.sector'), dataIndex: 'sector', render: (s: Sector) => labels.sector(s) },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => (s === 'active' ? <Tag color="green">{t('institution.statusActive')}</Tag> : <Tag>{t('institution.statusClosed')}</Tag>),
          },
          { title: t('institution.userCount'), dataIndex: 'userCount', align: 'right' },
        ]}
      />
    </Card>
  );
}
