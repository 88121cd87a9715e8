// Shared institution helpers: the visible tree (GET /api/institutions/tree), a TreeSelect over it, and
// the kind / level / sector labels from org.constants.ts.
import { useQuery } from '@tanstack/react-query';
import { Tag, TreeSelect } from 'antd';
import type { ReactNode } from 'react';
import { ADMIN_LEVEL_LABELS, INSTITUTION_KIND_LABELS, SECTOR_LABELS } from '../../../src/modules/org/org.constants.ts';
import { api } from '../api.ts';
import { useI18n, useT } from '../i18n.tsx';
import type { AdminLevel, InstitutionKind, InstitutionTreeNode, Sector } from '../types.ts';

export const TREE_KEY = ['institutions', 'tree'] as const;

export function useInstitutionTree() {
  return useQuery({
    queryKey: TREE_KEY,
    queryFn: () => api.get<InstitutionTreeNode[]>('/api/institutions/tree'),
    staleTime: 30_000,
  });
}

export const KIND_COLORS: Record<InstitutionKind, string> = {
  authority: 'red',
  regulator: 'purple',
  institution: 'blue',
  vendor: 'orange',
  external_user: 'cyan',
};

export function KindTag({ kind }: { kind: InstitutionKind }) {
  const { pick } = useI18n();
  return <Tag color={KIND_COLORS[kind]}>{pick(INSTITUTION_KIND_LABELS[kind], kind)}</Tag>;
}

export function useOrgLabels() {
  const { pick } = useI18n();
  return {
    kind: (k: InstitutionKind | null | undefined) => (k ? pick(INSTITUTION_KIND_LABELS[k], k) : '—'),
    level: (l: AdminLevel | null | undefined) => (l ? pick(ADMIN_LEVEL_LABELS[l], l) : '—'),
    sector: (s: Sector | null | undefined) => (s ? pick(SECTOR_LABELS[s], s) : '—'),
  };
}

export interface TreeNodeData {
  key: string;
  value: string;
  title: ReactNode;
  label: string;
  node: InstitutionTreeNode;
  children: TreeNodeData[];
  disabled?: boolean;
}

/** Builds the forest from the flat list by parentId; a node whose parent is not visible becomes a root. */
export function buildForest(
  nodes: InstitutionTreeNode[],
  render: (n: InstitutionTreeNode) => ReactNode,
  disable?: (n: InstitutionTreeNode) => boolean,
): TreeNodeData[] {
  const byId = new Map<string, TreeNodeData>();
  for (const n of nodes) {
    byId.set(n.id, { key: n.id, value: n.id, title: render(n), label: n.name, node: n, children: [], disabled: disable?.(n) });
  }
  const roots: TreeNodeData[] = [];
  for (const n of nodes) {
    const item = byId.get(n.id) as TreeNodeData;
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    if (parent) parent.children.push(item);
    else roots.push(item);
  }
  const sort = (list: TreeNodeData[]) => {
    list.sort((a, b) => a.node.name.localeCompare(b.node.name, 'zh-CN'));
    for (const c of list) sort(c.children);
  };
  sort(roots);
  return roots;
}

export function InstitutionTreeSelect({
  value,
  onChange,
  placeholder,
  allowClear = true,
  testId,
  disable,
  style,
  id,
}: {
  value?: string | null;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  testId?: string;
  disable?: (n: InstitutionTreeNode) => boolean;
  style?: React.CSSProperties;
  id?: string;
}) {
  const t = useT();
  const tree = useInstitutionTree();
  const data = tree.data ? buildForest(tree.data, (n) => n.name, disable) : [];
  return (
    <TreeSelect<string>
      id={id}
      data-testid={testId}
      style={{ minWidth: 220, ...style }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={data}
      treeNodeFilterProp="label"
      showSearch
      allowClear={allowClear}
      treeDefaultExpandAll
      loading={tree.isLoading}
      placeholder={placeholder ?? t('institution.selectPlaceholder')}
      notFoundContent={tree.isError ? t('error.loadFailed') : undefined}
      popupMatchSelectWidth={false}
    />
  );
}
