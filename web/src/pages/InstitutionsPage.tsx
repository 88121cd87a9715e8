// 机构: the tree of institutions the user can see with a detail panel, and a searchable table view.
import { SearchOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Input, Row, Tabs, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorResult, Loading } from '../components/ErrorAlert.tsx';
import { buildForest, KindTag, useInstitutionTree } from '../components/institutions.tsx';
import { useT } from '../i18n.tsx';
import type { InstitutionTreeNode } from '../types.ts';
import { InstitutionDetail } from './institutions/InstitutionDetail.tsx';
import { InstitutionTable } from './institutions/InstitutionTable.tsx';

function filterWithAncestors(nodes: InstitutionTreeNode[], q: string): InstitutionTreeNode[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return nodes;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const keep = new Set<string>();
  for (const n of nodes) {
    if (!n.name.toLowerCase().includes(needle)) continue;
    let cur: InstitutionTreeNode | undefined = n;
    while (cur && !keep.has(cur.id)) {
      keep.add(cur.id);
      cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    }
  }
  return nodes.filter((n) => keep.has(n.id));
}

function InstitutionTreePanel({ selected, onSelect }: { selected: string | null; onSelect: (id: string) => void }) {
  const t = useT();
  const tree = useInstitutionTree();
  const [q, setQ] = useState('');
  const [expanded, setExpanded] = useState<string[] | null>(null);

  const nodes = useMemo(() => filterWithAncestors(tree.data ?? [], q), [tree.data, q]);
  const forest = useMemo(
    () =>
      buildForest(nodes, (n) => (
        <span data-testid="institution-tree-node" data-inst-id={n.id} style={{ whiteSpace: 'nowrap' }}>
          <span style={{ textDecoration: n.status === 'closed' ? 'line-through' : undefined }}>{n.name}</span> <KindTag kind={n.kind} />
        </span>
      )),
    [nodes],
  );
  // Default: roots and their children open; while searching: everything that matched.
  const defaultExpanded = useMemo(() => {
    if (q.trim()) return nodes.map((n) => n.id);
    return forest.flatMap((r) => [r.key, ...r.children.map((c) => c.key)]);
  }, [forest, nodes, q]);

  if (tree.isPending) return <Loading />;
  if (tree.isError) return <ErrorResult error={tree.error} onRetry={() => tree.refetch()} />;
  return (
    <>
      <Input
        allowClear
        prefix={<SearchOutlined />}
        placeholder={t('institution.treeSearch')}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setExpanded(null);
        }}
        style={{ marginBottom: 12 }}
        data-testid="institution-tree-search"
      />
      {forest.length === 0 ? (
        <Empty description={q ? t('common.noMatch') : t('institution.emptyTree')} />
      ) : (
        <div data-testid="institution-tree" style={{ overflow: 'auto', maxHeight: 'calc(100vh - 300px)' }}>
          <Tree
            blockNode
            treeData={forest}
            expandedKeys={expanded ?? defaultExpanded}
            onExpand={(keys) => setExpanded(keys as string[])}
            selectedKeys={selected ? [selected] : []}
            onSelect={(keys) => {
              if (keys[0]) onSelect(String(keys[0]));
            }}
          />
        </div>
      )}
    </>
  );
}

export default function InstitutionsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'list' ? 'list' : 'tree';
  const tree = useInstitutionTree();
  const roots = (tree.data ?? []).filter((n) => !n.parentId || !(tree.data ?? []).some((p) => p.id === n.parentId));
  const selected = params.get('id') ?? roots[0]?.id ?? null;

  const select = (id: string) => {
    const p = new URLSearchParams(params);
    p.set('id', id);
    p.delete('view');
    setParams(p);
  };

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.institutions')}
      </Typography.Title>
      <Tabs
        activeKey={view}
        onChange={(k) => {
          const p = new URLSearchParams(params);
          if (k === 'list') p.set('view', 'list');
          else p.delete('view');
          setParams(p);
        }}
        items={[
          {
            key: 'tree',
            label: <span data-testid="institution-view-tree">{t('institution.treeView')}</span>,
            children: (
              <Row gutter={16}>
                <Col xs={24} lg={9} xl={8}>
                  <Card size="small" title={t('institution.tree')}>
                    <InstitutionTreePanel selected={selected} onSelect={select} />
                  </Card>
                </Col>
                <Col xs={24} lg={15} xl={16}>
                  {selected ? (
                    <InstitutionDetail id={selected} onSelect={select} />
                  ) : (
                    <Card>
                      <Empty description={t('institution.selectHint')} />
                    </Card>
                  )}
                </Col>
              </Row>
            ),
          },
          {
            key: 'list',
            label: <span data-testid="institution-view-list">{t('institution.listView')}</span>,
            children: <InstitutionTable onOpen={select} />,
          },
        ]}
      />
    </div>
  );
}
