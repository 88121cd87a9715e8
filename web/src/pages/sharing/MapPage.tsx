// 共享地图 (LIF-3, ZZ-21): who shares what with whom, city-wide — every active grant within the caller's reach
// as a directed graph (provider → recipient institution), links weighted by grants, resources or rows read in
// the last 30 days; the same links as a table beside the chart (searchable, sortable).
import { ClusterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Input, Row, Segmented, Space, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { INSTITUTION_KIND_LABELS } from '../../../../src/modules/org/org.constants.ts';
import { api } from '../../api.ts';
import { type ChartOption, EChart } from '../../components/EChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { KIND_COLORS } from '../../components/institutions.tsx';
import { useI18n, useT } from '../../i18n.tsx';
import type { SharingMap, SharingMapLink } from '../../sharingOverviewTypes.ts';

type Weight = 'grants' | 'resources' | 'rowsLast30Days';

/** Chart colours per institution kind (the antd tag colours' hex values). */
const NODE_COLORS: Record<string, string> = {
  red: '#cf1322',
  purple: '#531dab',
  blue: '#1d4ed8',
  orange: '#d46b08',
  cyan: '#08979c',
};

interface LinkRow extends SharingMapLink {
  key: string;
  sourceName: string;
  targetName: string;
}

export default function MapPage() {
  const t = useT();
  const { pick } = useI18n();
  const [weight, setWeight] = useState<Weight>('grants');
  const [q, setQ] = useState('');
  const query = useQuery({ queryKey: ['sharing', 'map'], queryFn: () => api.get<SharingMap>('/api/sharing/map') });
  const data = query.data;

  const names = useMemo(() => new Map((data?.nodes ?? []).map((n) => [n.id, n.name])), [data]);
  const rows: LinkRow[] = useMemo(
    () =>
      (data?.links ?? []).map((l) => ({
        ...l,
        key: `${l.source}→${l.target}`,
        sourceName: names.get(l.source) ?? l.source,
        targetName: names.get(l.target) ?? l.target,
      })),
    [data, names],
  );
  const shown = q.trim() ? rows.filter((r) => r.sourceName.includes(q.trim()) || r.targetName.includes(q.trim())) : rows;

  const option = useMemo<ChartOption>(() => {
    const nodes = data?.nodes ?? [];
    const links = data?.links ?? [];
    const max = Math.max(1, ...links.map((l) => l[weight]));
    const degree = new Map<string, number>();
    for (const l of links) {
      degree.set(l.source, (degree.get(l.source) ?? 0) + l.grants);
      degree.set(l.target, (degree.get(l.target) ?? 0) + l.grants);
    }
    const kindName = (kind: string) => pick(INSTITUTION_KIND_LABELS[kind as keyof typeof INSTITUTION_KIND_LABELS], kind);
    const kinds = [...new Set(nodes.map((n) => n.kind))];
    return {
      tooltip: {
        formatter: (p: unknown) => {
          const d = (p as { dataType?: string; data?: Record<string, unknown> }).data ?? {};
          if ((p as { dataType?: string }).dataType === 'edge') {
            const l = d as unknown as SharingMapLink;
            return [
              `${names.get(l.source) ?? ''} → ${names.get(l.target) ?? ''}`,
              `${t('sharingMap.grants')}${t('common.colon')}${l.grants}`,
              `${t('sharingMap.resources')}${t('common.colon')}${l.resources}`,
              `${t('sharingMap.rows30')}${t('common.colon')}${l.rowsLast30Days.toLocaleString()}`,
            ].join('<br/>');
          }
          return String(d.name ?? '');
        },
      },
      legend: { data: kinds.map(kindName), bottom: 0 },
      series: [
        {
          type: 'graph',
          layout: 'circular',
          circular: { rotateLabel: false },
          roam: true,
          label: { show: true, position: 'right', fontSize: 12 },
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: [0, 12],
          categories: kinds.map((k) => ({ name: kindName(k), itemStyle: { color: NODE_COLORS[KIND_COLORS[k as keyof typeof KIND_COLORS]] ?? '#1d4ed8' } })),
          data: nodes.map((n) => ({
            id: n.id,
            name: n.name,
            category: kinds.indexOf(n.kind),
            symbolSize: 14 + Math.min(26, 4 * (degree.get(n.id) ?? 0)),
          })),
          links: links.map((l) => ({
            ...l,
            lineStyle: { width: 1 + (5 * l[weight]) / max, curveness: 0.2, opacity: 0.8, color: 'source' },
          })),
          emphasis: { focus: 'adjacency', lineStyle: { width: 8 } },
        },
      ],
    };
  }, [data, weight, names, pick, t]);

  const totals = {
    institutions: data?.nodes.length ?? 0,
    grants: rows.reduce((s, r) => s + r.grants, 0),
    rows30: rows.reduce((s, r) => s + r.rowsLast30Days, 0),
  };

  return (
    <Card
      title={
        <Space>
          <ClusterOutlined />
          <span data-testid="sharing-map-title">{t('sharingMap.title')}</span>
        </Space>
      }
      extra={
        <Segmented<Weight>
          value={weight}
          onChange={setWeight}
          data-testid="sharing-map-weight"
          options={[
            { value: 'grants', label: t('sharingMap.grants') },
            { value: 'resources', label: t('sharingMap.resources') },
            { value: 'rowsLast30Days', label: t('sharingMap.rows30') },
          ]}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('sharingMap.intro')}</Typography.Paragraph>
      <ErrorAlert error={query.error} />
      <Space size={48} style={{ marginBottom: 16 }}>
        <Statistic title={t('sharingMap.institutions')} value={totals.institutions} />
        <Statistic title={t('sharingMap.activeGrants')} value={totals.grants} />
        <Statistic title={t('sharingMap.rows30')} value={totals.rows30} />
      </Space>
      <Row gutter={24}>
        <Col xs={24} xl={14}>
          {data && data.links.length === 0 ? (
            <Empty description={t('sharingMap.empty')} data-testid="sharing-map-empty" />
          ) : (
            <EChart option={option} height={520} testId="sharing-map-chart" />
          )}
        </Col>
        <Col xs={24} xl={10}>
          <Input.Search
            allowClear
            placeholder={t('sharingMap.search')}
            onSearch={setQ}
            onChange={(e) => !e.target.value && setQ('')}
            style={{ marginBottom: 12 }}
            data-testid="sharing-map-search"
          />
          <Table<LinkRow>
            rowKey="key"
            size="small"
            data-testid="sharing-map-table"
            loading={query.isFetching}
            dataSource={shown}
            pagination={{ pageSize: 10, showTotal: (n) => t('common.total', { total: n }) }}
            locale={{ emptyText: t('sharingMap.empty') }}
            columns={[
              { title: t('sharingMap.provider'), dataIndex: 'sourceName', sorter: (a, b) => a.sourceName.localeCompare(b.sourceName, 'zh') },
              { title: t('sharingMap.recipient'), dataIndex: 'targetName', sorter: (a, b) => a.targetName.localeCompare(b.targetName, 'zh') },
              {
                title: t('sharingMap.grants'),
                dataIndex: 'grants',
                width: 80,
                align: 'right',
                sorter: (a, b) => a.grants - b.grants,
                defaultSortOrder: 'descend',
              },
              { title: t('sharingMap.resources'), dataIndex: 'resources', width: 80, align: 'right', sorter: (a, b) => a.resources - b.resources },
              {
                title: t('sharingMap.rows30'),
                dataIndex: 'rowsLast30Days',
                width: 110,
                align: 'right',
                sorter: (a, b) => a.rowsLast30Days - b.rowsLast30Days,
                render: (v: number) => v.toLocaleString(),
              },
            ]}
          />
        </Col>
      </Row>
    </Card>
  );
}
