// Read-only view of a grading scheme (CLS-1, CLS-5): the category tree, the determination matrix
// (harm object × degree → level) and the controls per level.
import { Card, Col, Descriptions, Empty, Input, Row, Space, Table, Tag, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import {
  APPROVAL_LABEL,
  HARM_DEGREE_LABEL,
  HARM_DEGREES,
  HARM_OBJECT_LABEL,
  HARM_OBJECTS,
  LEVEL_LABEL,
  LEVELS,
  LevelTag,
  MASKING_LABEL,
  MASKING_SCENARIOS,
  SCENARIO_LABEL,
  YesNo,
} from '../../components/catalog.tsx';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { CategoryNode, Controls, HarmObject, LevelCode, MatrixCell, Scheme } from '../../types.ts';

export const SCHEME_STATUS_COLOR: Record<Scheme['status'], string> = { draft: 'gold', published: 'green', superseded: 'default' };

interface TreeData {
  key: string;
  title: React.ReactNode;
  children: TreeData[];
}
function toTree(nodes: CategoryNode[], q: string): TreeData[] {
  const out: TreeData[] = [];
  for (const n of nodes) {
    const children = toTree(n.children ?? [], q);
    const hit = !q || n.name.includes(q) || n.code.includes(q);
    if (hit || children.length > 0) {
      out.push({
        key: n.code,
        title: (
          <span data-testid="category-node" data-code={n.code}>
            {n.name} <Typography.Text type="secondary">{n.code}</Typography.Text>
          </span>
        ),
        children,
      });
    }
  }
  return out;
}
export function countCategories(nodes: CategoryNode[]): number {
  return nodes.reduce((sum, n) => sum + 1 + countCategories(n.children ?? []), 0);
}

export function CategoryTreeView({ tree }: { tree: CategoryNode[] }) {
  const t = useT();
  const [q, setQ] = useState('');
  const data = useMemo(() => toTree(tree, q.trim()), [tree, q]);
  return (
    <div>
      <Input.Search
        allowClear
        placeholder={t('scheme.categorySearch')}
        onChange={(e) => setQ(e.target.value)}
        style={{ marginBottom: 8 }}
        data-testid="category-search"
      />
      {data.length === 0 ? (
        <Empty description={q ? t('common.noMatch') : t('scheme.noCategories')} />
      ) : (
        <div style={{ maxHeight: 480, overflow: 'auto' }} data-testid="category-tree">
          <Tree key={q} treeData={data} defaultExpandedKeys={tree.map((n) => n.code)} defaultExpandAll={!!q} blockNode selectable={false} />
        </div>
      )}
    </div>
  );
}

export function matrixLevel(matrix: MatrixCell[], object: HarmObject, degree: MatrixCell['degree']): LevelCode | undefined {
  return matrix.find((m) => m.object === object && m.degree === degree)?.level;
}

export function MatrixView({ matrix }: { matrix: MatrixCell[] }) {
  const t = useT();
  return (
    <Table<{ object: HarmObject }>
      size="small"
      rowKey="object"
      pagination={false}
      bordered
      data-testid="matrix-view"
      dataSource={HARM_OBJECTS.map((object) => ({ object }))}
      columns={[
        {
          title: t('scheme.harmObjectCol'),
          dataIndex: 'object',
          render: (o: HarmObject) => <Typography.Text strong>{t(HARM_OBJECT_LABEL[o])}</Typography.Text>,
        },
        ...HARM_DEGREES.map((d) => ({
          title: t(HARM_DEGREE_LABEL[d]),
          key: d,
          render: (_v: unknown, r: { object: HarmObject }) => <LevelTag level={matrixLevel(matrix, r.object, d)} testId="matrix-cell" />,
        })),
      ]}
    />
  );
}

export function ControlsMatrixView({ controls }: { controls: Record<LevelCode, Controls> }) {
  const t = useT();
  const rows = LEVELS.filter((l) => controls[l]).map((level) => ({ level, c: controls[level] }));
  return (
    <Table
      size="small"
      rowKey="level"
      pagination={false}
      bordered
      scroll={{ x: 1100 }}
      data-testid="controls-matrix-view"
      dataSource={rows}
      columns={[
        { title: t('scheme.levelCol'), dataIndex: 'level', fixed: 'left', width: 150, render: (l: LevelCode) => <LevelTag level={l} /> },
        { title: t('controls.encryptAtRest'), key: 'enc', render: (_v, r) => <YesNo value={r.c.encryptAtRest} /> },
        ...MASKING_SCENARIOS.map((s) => ({
          title: `${t('controls.maskingShort')}·${t(SCENARIO_LABEL[s])}`,
          key: s,
          render: (_v: unknown, r: { c: Controls }) => t(MASKING_LABEL[r.c.masking[s]]),
        })),
        { title: t('controls.sharingApprovals'), key: 'appr', render: (_v, r) => t(APPROVAL_LABEL[r.c.sharingApprovals] ?? 'approvals.3') },
        { title: t('controls.watermark'), key: 'wm', render: (_v, r) => <YesNo value={r.c.watermark} /> },
        { title: t('controls.logRetentionMonths'), key: 'log', render: (_v, r) => t('controls.months', { n: r.c.logRetentionMonths }) },
        { title: t('controls.openAllowed'), key: 'open', render: (_v, r) => <YesNo value={r.c.openAllowed} /> },
        { title: t('controls.aggregateOnly'), key: 'agg', render: (_v, r) => <YesNo value={r.c.aggregateOnly} /> },
      ]}
    />
  );
}

export function SchemeView({ scheme }: { scheme: Scheme }) {
  const t = useT();
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="scheme-view">
      <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 4 }}>
        <Descriptions.Item label={t('scheme.name')} span={2}>
          <span data-testid="scheme-name">{scheme.name}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('scheme.version')}>
          <Space size={4}>
            <span data-testid="scheme-version">v{scheme.version}</span>
            <Tag color={SCHEME_STATUS_COLOR[scheme.status]}>{t(`scheme.status.${scheme.status}` as const)}</Tag>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('scheme.publishedAt')}>{fmtDateTime(scheme.publishedAt)}</Descriptions.Item>
        {scheme.notes && (
          <Descriptions.Item label={t('scheme.notes')} span={4}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{scheme.notes}</span>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('scheme.categoriesTitle', { n: countCategories(scheme.categories) })}>
            <CategoryTreeView tree={scheme.categories} />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('scheme.matrixTitle')} extra={<Typography.Text type="secondary">{t('scheme.matrixHint')}</Typography.Text>}>
            <MatrixView matrix={scheme.matrix} />
          </Card>
          <Card size="small" title={t('scheme.levelsTitle')} style={{ marginTop: 16 }}>
            <Space wrap>
              {(scheme.levels.length ? scheme.levels.map((l) => l.code) : LEVELS).map((l) => (
                <LevelTag key={l} level={l} />
              ))}
            </Space>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t('scheme.levelsHint', { top: t(LEVEL_LABEL.core) })}
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('scheme.controlsTitle')}>
        <ControlsMatrixView controls={scheme.controls} />
      </Card>
    </Space>
  );
}
