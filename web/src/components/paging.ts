// Pagination of the server-paginated tables (every list page): the page state lives in the page's
// filter object, and a page change keeps the other filters.
import type { TablePaginationConfig } from 'antd';
import type { Dispatch, SetStateAction } from 'react';
import type { TFunction } from '../i18n.tsx';

export interface PageState {
  page: number;
  pageSize: number;
}

export function serverPagination<F extends PageState>(f: F, setF: Dispatch<SetStateAction<F>>, total: number | undefined, t: TFunction): TablePaginationConfig {
  return {
    current: f.page,
    pageSize: f.pageSize,
    total: total ?? 0,
    showSizeChanger: true,
    showTotal: (n) => t('common.total', { total: n }),
    onChange: (page, pageSize) => setF((old) => ({ ...old, page, pageSize })),
  };
}
