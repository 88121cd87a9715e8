// 分类分级看板: resources by level (pie), ungraded / pending approvals / late filings (statistic cards) and
// the same per institution (stacked bar chart and table), over what the caller can read.
import { ArrowLeftOutlined, ClockCircleOutlined, ExclamationCircleOutlined, FileSearchOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Row, Space, Statistic, Table, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api.ts';
import { LEVEL_CHART_COLOR, LEVEL_LABEL, LEVELS, LevelTag } from '../../components/catalog.tsx';
import { type ChartOption, EChart } from '../../components/EChart.tsx';
import { ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import { useT } from '../../i18n.tsx';
import type { DashboardInstitution, GradingDashboard, LevelCode } from '../../types.ts';

const UNGRADED_COLOR = '#d9d9d9';
/** Institutions worth a bar: with resources, pending approvals or late filings. */
const active = (i: DashboardInstitution) => i.resources > 0 || i.pending > 0 || (i.lateFilings ?? 0) > 0;

function StatCard({
  title,
  value,
  icon,
  color,
  testId,
  hint,
}: {
  title: string;
  value: number | null;
  icon: React.ReactNode;
  color?: string;
  testId: string;
  hint?: string;
}) {
  const t = useT();
  const stat = (
    <Statistic
      title={title}
      value={value ?? '—'}
      prefix={icon}
      styles={{ content: { color: value && color ? color : undefined } }}
      data-testid={testId}
      data-value={value ?? ''}
    />
  );
  return (
    <Card size="small" style={{ height: '100%' }}>
      {value === null ? <Tooltip title={hint ?? t('dashboard.noReach')}>{stat}</Tooltip> : stat}
    </Card>
  );
}

export default function GradingDashboardPage() {
  const t = useT();
  const navigate = useNavigate();
  const q = useQuery({ queryKey: ['grading', 'dashboard'], queryFn: () => api.get<GradingDashboard>('/api/grading/dashboard') });
  const data = q.data;

  const pie = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    const slices = LEVELS.map((l) => ({ name: t(LEVEL_LABEL[l]), value: data.totals.byLevel[l] ?? 0, itemStyle: { color: LEVEL_CHART_COLOR[l] } })).filter(
      (s) => s.value > 0,
    );
    if (data.totals.ungraded > 0) slices.push({ name: t('dashboard.ungraded'), value: data.totals.ungraded, itemStyle: { color: UNGRADED_COLOR } });
    return {
      tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          name: t('dashboard.byLevel'),
          radius: ['35%', '60%'],
          center: ['50%', '45%'],
          avoidLabelOverlap: true,
          label: { formatter: '{c}' },
          data: slices,
        },
      ],
    };
  }, [data, t]);

  const bar = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    // Institutions with something to show (resources, pending approvals or late filings), most resources first.
    const insts = data.institutions.filter(active).sort((a, b) => b.resources - a.resources);
    const names = insts.map((i) => i.institutionName);
    const series = [
      ...LEVELS.map((l) => ({
        type: 'bar' as const,
        name: t(LEVEL_LABEL[l]),
        stack: 'level',
        barMaxWidth: 28,
        itemStyle: { color: LEVEL_CHART_COLOR[l] },
        emphasis: { focus: 'series' as const },
        data: insts.map((i) => i.byLevel[l] ?? 0),
      })),
      {
        type: 'bar' as const,
        name: t('dashboard.ungraded'),
        stack: 'level',
        barMaxWidth: 28,
        itemStyle: { color: UNGRADED_COLOR },
        data: insts.map((i) => i.ungraded),
      },
    ];
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 160, overflow: 'truncate' } },
      series,
    };
  }, [data, t]);

  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <Card>
        <ErrorResult error={q.error} onRetry={() => q.refetch()} />
      </Card>
    );
  const d = q.data;
  const byInst = new Map(d.institutions.map((i) => [i.institutionName, i.institutionId]));
  const barCount = d.institutions.filter(active).length;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="grading-dashboard">
      <Link to="/grading">
        <ArrowLeftOutlined /> {t('nav.grading')}
      </Link>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('dashboard.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('dashboard.schemeVersion', { version: d.schemeVersion })}</Typography.Text>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={8} xl={4}>
          <StatCard title={t('dashboard.resources')} value={d.totals.resources} icon={<FileSearchOutlined />} testId="stat-resources" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <StatCard title={t('dashboard.graded')} value={d.totals.graded} icon={<SafetyCertificateOutlined />} color="#389e0d" testId="stat-graded" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <StatCard title={t('dashboard.ungraded')} value={d.totals.ungraded} icon={<ExclamationCircleOutlined />} color="#d46b08" testId="stat-ungraded" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <StatCard title={t('dashboard.pending')} value={d.totals.pending} icon={<ClockCircleOutlined />} color="#1677ff" testId="stat-pending" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <StatCard title={t('dashboard.lateFilings')} value={d.totals.lateFilings} icon={<ExclamationCircleOutlined />} color="#cf1322" testId="stat-late" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <StatCard
            title={t('dashboard.overdueFilings')}
            value={d.totals.overdueFilings}
            icon={<ClockCircleOutlined />}
            color="#cf1322"
            testId="stat-overdue"
          />
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card size="small" title={t('dashboard.byLevel')} style={{ height: '100%' }}>
            {d.totals.resources === 0 || !pie ? (
              <Empty description={t('dashboard.noResources')} />
            ) : (
              <EChart
                option={pie}
                height={340}
                testId="chart-levels"
                onClick={(name) => {
                  const level = LEVELS.find((l) => t(LEVEL_LABEL[l]) === name);
                  if (level) navigate(`/catalog?level=${level}`);
                }}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('dashboard.byInstitution')} style={{ height: '100%' }}>
            {barCount === 0 || !bar ? (
              <Empty description={t('dashboard.noInstitutions')} />
            ) : (
              <EChart
                option={bar}
                height={Math.max(280, 60 + barCount * 36)}
                testId="chart-institutions"
                onClick={(name) => {
                  const id = byInst.get(name);
                  if (id) navigate(`/catalog?institutionId=${id}`);
                }}
              />
            )}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('dashboard.table')}>
        <Table<DashboardInstitution>
          size="small"
          rowKey="institutionId"
          dataSource={d.institutions}
          pagination={d.institutions.length > 20 ? { pageSize: 20 } : false}
          data-testid="dashboard-table"
          scroll={{ x: 1700 }}
          columns={[
            { title: t('resource.institution'), dataIndex: 'institutionName', fixed: 'left', width: 220 },
            { title: t('dashboard.resources'), dataIndex: 'resources', width: 90, sorter: (a, b) => a.resources - b.resources },
            { title: t('dashboard.graded'), dataIndex: 'graded', width: 80 },
            { title: t('dashboard.ungraded'), dataIndex: 'ungraded', width: 80, sorter: (a, b) => a.ungraded - b.ungraded },
            { title: t('dashboard.pending'), dataIndex: 'pending', width: 80 },
            ...LEVELS.map((l: LevelCode) => ({
              title: <LevelTag level={l} />,
              key: l,
              width: 130,
              render: (_v: unknown, r: DashboardInstitution) => r.byLevel[l] ?? 0,
            })),
            { title: t('dashboard.lateFilings'), dataIndex: 'lateFilings', width: 90, render: (v: number | null) => (v === null ? '—' : v) },
            { title: t('dashboard.overdueFilings'), dataIndex: 'overdueFilings', width: 100, render: (v: number | null) => (v === null ? '—' : v) },
          ]}
        />
      </Card>
    </Space>
  );
}
