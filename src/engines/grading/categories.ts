// The classification tree (CLS-1): sector → category → sub-category (→ one finer level where a sector needs
// it). Codes are stable ASCII paths ('health.medical.emr'): a child's code is its parent's code plus one
// segment, so a code alone tells where it sits and a label on data stays readable without the tree.

export interface Category {
  code: string;
  name: string;
  children: Category[];
}

/** What an editor sends: leaves may leave children out. */
export interface CategoryInput {
  code: string;
  name: string;
  children?: CategoryInput[];
}

export const MAX_CATEGORY_DEPTH = 4;
export const MAX_CATEGORY_COUNT = 5000;
/** One path segment: lower-case ASCII letter first, then letters, digits or '_'. */
export const CATEGORY_SEGMENT = /^[a-z][a-z0-9_]{0,39}$/;
export const MAX_CATEGORY_CODE_LENGTH = 160;
export const MAX_CATEGORY_NAME_LENGTH = 50;

export interface CategoryEntry {
  code: string;
  name: string;
  /** Names from the sector down to this category, e.g. ['卫生健康', '医疗服务', '电子病历']. */
  path: string[];
  depth: number;
}

/** Every category of a tree by code, depth-first in tree order. */
export function indexCategories(tree: readonly Category[]): Map<string, CategoryEntry> {
  const out = new Map<string, CategoryEntry>();
  const walk = (nodes: readonly Category[], parents: string[], depth: number) => {
    for (const n of nodes) {
      const path = [...parents, n.name];
      out.set(n.code, { code: n.code, name: n.name, path, depth });
      walk(n.children, path, depth + 1);
    }
  };
  walk(tree, [], 1);
  return out;
}

/** Helper for writing trees as data: a node with children. */
export function node(code: string, name: string, children: Category[] = []): Category {
  return { code, name, children };
}
