// The scheme the platform starts with (CLS-1) until the authority publishes its own: the category tree of
// default-categories.ts, the matrix of domain.md §1 and the default controls per level.
import { DEFAULT_CONTROLS } from './controls.ts';
import { DEFAULT_CATEGORIES } from './default-categories.ts';
import { DEFAULT_MATRIX } from './matrix.ts';
import type { SchemeContent } from './validate.ts';

export const DEFAULT_SCHEME_NAME = '公共数据分类分级规则（默认，依据 GB/T 43697-2024）';

export function defaultScheme(): SchemeContent {
  // A fresh deep copy each time: callers may normalise or edit it as a draft's starting point.
  return structuredClone({
    name: DEFAULT_SCHEME_NAME,
    notes:
      '平台内置的默认规则：按行业领域、业务类别、细分类别三级分类；依据数据遭到篡改、破坏、泄露或非法获取、非法利用后对国家安全、经济运行、社会秩序、公共利益、组织权益、个人权益的危害程度定级；一般数据细分为 1–4 级。主管部门可在此基础上修订并发布新版本。',
    categories: [...DEFAULT_CATEGORIES],
    matrix: [...DEFAULT_MATRIX],
    controls: DEFAULT_CONTROLS,
  }) as SchemeContent;
}
