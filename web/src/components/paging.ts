// Pagination of the server-paginated tables (every list page): the page state lives in the page's
// filter object, and a page change keeps the other filters.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TablePaginationConfig } from 'antd';
import { type Dispatch, type SetStateAction, useState } from 'react';
import { api, type Query } from '../api.ts';
import type { TFunction } from '../i18n.tsx';
import type { Paged } from '../types.ts';

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

/**
 * The filter state of a server-paginated list page: the filters with the page, the search box's text
 * (applied on search, not per keystroke), `set` (a filter change goes back to page 1) and `reset`.
 */
export function useListFilters<F extends PageState>(initial: F | (() => F)) {
  const [f, setF] = useState<F>(initial);
  const [qInput, setQInput] = useState('');
  const set = (patch: Partial<F>) => setF((old) => ({ ...old, ...patch, page: 1 }));
  const reset = () => {
    setQInput('');
    setF({ page: 1, pageSize: f.pageSize } as F);
  };
  return { f, setF, set, qInput, setQInput, reset };
}

/**
 * One page of a server-paginated list for the current filters (`f` goes to the query string); the previous
 * page stays on screen while the next one loads, so the table does not flash empty.
 */
export function usePagedQuery<T>(key: readonly unknown[], path: string, f: PageState & Query) {
  return useQuery({ queryKey: [...key, f], queryFn: () => api.get<Paged<T>>(path, { ...f }), placeholderData: keepPreviousData });
}
