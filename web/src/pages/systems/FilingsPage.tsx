// 登记审核: the authority's queue of registration, change and closure filings (AST-1, AST-2), pending
// first, with the DG-8 deadline and late mark; 受理 / 退回 with a reason.
import { ArrowLeftOutlined, CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { FILING_KIND_LABEL, LateTag, optionsOf, REVIEW_STATUS_LABEL, REVIEW_STATUSES, ReviewTag } from '../../components/catalog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstitutionTreeSelect } from '../../components/institutions.tsx';
import { serverPagination } from '../../components/paging.ts';
import { fmtDateTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import { useCan } from '../../session.tsx';
import type { FilingQuery, Paged, ReviewBody, ReviewStatus, SystemFiling } from '../../types.ts';
import { ReviewModal } from './filingActions.tsx';

type Filters = FilingQuery & { page: number; pageSize: number };

export default function FilingsPage() {
  const t = useT();
  const can = useCan();
  const reviewer = can('system.review');
  const [f, setF] = useState<Filters>({ page: 1, pageSize: 20, reviewStatus: reviewer ? 'pending' : undefined });
  const [reviewing, setReviewing] = useState<{ filing: SystemFiling; decision: ReviewBody['decision'] } | null>(null);
  const query = useQuery({
    queryKey: ['system-filings', f],
    queryFn: () => api.get<Paged<SystemFiling>>('/api/system-filings', { ...f }),
    placeholderData: keepPreviousData,
  });
  const set = (patch: Partial<Filters>) => setF((old) => ({ ...old, ...patch, page: 1 }));

  return (
    <div>
      <Link to="/systems" data-testid="filings-back">
        <ArrowLeftOutlined /> {t('system.backToList')}
      </Link>
      <Typography.Title level={4} style={{ marginTop: 8 }}>
        {reviewer ? t('filing.queueTitle') : t('filing.listTitle')}
      </Typography.Title>
      <Card size="small">
        <Space wrap style={{ marginBottom: 16 }}>
          <Select<ReviewStatus>
            allowClear
            placeholder={t('filing.reviewStatus')}
            style={{ width: 140 }}
            value={f.reviewStatus}
            onChange={(v) => set({ reviewStatus: v })}
            options={optionsOf(REVIEW_STATUSES, REVIEW_STATUS_LABEL, t)}
            data-testid="filing-filter-review"
          />
          <InstitutionTreeSelect
            testId="filing-filter-institution"
            value={f.institutionId}
            onChange={(v) => set({ institutionId: v })}
            style={{ width: 220 }}
          />
          <Checkbox checked={!!f.late} onChange={(e) => set({ late: e.target.checked || undefined })} data-testid="filing-filter-late">
            {t('system.onlyLate')}
          </Checkbox>
          <Button onClick={() => setF({ page: 1, pageSize: f.pageSize })}>{t('common.reset')}</Button>
        </Space>
        <ErrorAlert error={query.error} />
        <Table<SystemFiling>
          rowKey="id"
          size="middle"
          data-testid="filing-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: <Empty description={f.reviewStatus === 'pending' ? t('filing.queueEmpty') : t('common.noMatch')} /> }}
          pagination={serverPagination(f, setF, query.data?.total, t)}
          scroll={{ x: 1100 }}
          columns={[
            {
              title: t('system.name'),
              dataIndex: 'systemName',
              render: (name: string | undefined, r) => (
                <Link to={`/systems/${r.systemId}`} data-testid="filing-open-system">
                  {name ?? r.systemId}
                </Link>
              ),
            },
            { title: t('system.institution'), dataIndex: 'institutionName', render: (v?: string) => v ?? '—' },
            {
              title: t('filing.kind'),
              dataIndex: 'kind',
              width: 110,
              render: (k: SystemFiling['kind'], r) => (
                <Space size={2}>
                  <Tag>{t(FILING_KIND_LABEL[k])}</Tag>
                  <Typography.Text type="secondary">{t('filing.version', { n: r.version })}</Typography.Text>
                </Space>
              ),
            },
            { title: t('filing.eventDate'), dataIndex: 'eventDate', width: 110 },
            {
              title: t('filing.deadline'),
              dataIndex: 'deadline',
              width: 160,
              render: (d: string, r) => (
                <Space size={4}>
                  {d}
                  {r.late && <LateTag deadline={d} />}
                </Space>
              ),
            },
            { title: t('filing.filedAt'), dataIndex: 'filedAt', width: 170, render: (v: string) => fmtDateTime(v) },
            {
              title: t('filing.reviewStatus'),
              dataIndex: 'reviewStatus',
              width: 200,
              render: (s: ReviewStatus, r) => (
                <Space orientation="vertical" size={0}>
                  <ReviewTag status={s} />
                  {r.reviewReason && <Typography.Text type="secondary">{r.reviewReason}</Typography.Text>}
                </Space>
              ),
            },
            ...(reviewer
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 170,
                    fixed: 'right' as const,
                    render: (_v: unknown, r: SystemFiling) =>
                      r.reviewStatus === 'pending' ? (
                        <Space>
                          <Button
                            size="small"
                            type="primary"
                            icon={<CheckOutlined />}
                            onClick={() => setReviewing({ filing: r, decision: 'accept' })}
                            data-testid="filing-accept"
                          >
                            {t('review.accept')}
                          </Button>
                          <Button
                            size="small"
                            danger
                            icon={<RollbackOutlined />}
                            onClick={() => setReviewing({ filing: r, decision: 'return' })}
                            data-testid="filing-return"
                          >
                            {t('review.return')}
                          </Button>
                        </Space>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {reviewing && <ReviewModal filing={reviewing.filing} initial={reviewing.decision} onClose={() => setReviewing(null)} />}
    </div>
  );
}
