// 开放数据门户 (LIF-7, HZ-26, ZZ-23): the approved open-data releases, searchable by anyone without an
// account, and the lookup of an error report by its tracking code (DG-11).
import { SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col, Input, List, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fmtDate } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import type { PublicReleaseList } from '../../openDataTypes.ts';
import { publicGet } from './PublicLayout.tsx';
import { LicenceTag, TrackingLookup } from './parts.tsx';

const PAGE_SIZE = 10;

export default function OpenPortalPage() {
  const t = useT();
  // The search lives in the address bar, so a result list can be linked and "back" returns to it.
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [input, setInput] = useState(q);
  const query = useQuery({
    queryKey: ['public', 'open-data', q, page],
    queryFn: () => publicGet<PublicReleaseList>('/api/public/open-data', { q: q || undefined, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const go = (next: { q?: string; page?: number }) => {
    const p = new URLSearchParams();
    const nq = next.q ?? q;
    if (nq) p.set('q', nq);
    if ((next.page ?? 1) > 1) p.set('page', String(next.page));
    setParams(p);
  };

  return (
    <Row gutter={24}>
      <Col xs={24} lg={17}>
        <Card style={{ marginBottom: 16 }}>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('openPortal.heading')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('openPortal.intro')}</Typography.Paragraph>
          <Input.Search
            size="large"
            allowClear
            enterButton={<SearchOutlined />}
            placeholder={t('openPortal.searchPlaceholder')}
            value={input}
            onChange={(e) => {
              setInput(e.target.value);
              if (!e.target.value && q) go({ q: '' });
            }}
            onSearch={(v) => go({ q: v.trim() })}
            data-testid="open-search"
          />
        </Card>
        <ErrorAlert error={query.error} />
        <Card>
          <List
            data-testid="open-list"
            loading={query.isFetching}
            itemLayout="vertical"
            dataSource={query.data?.items ?? []}
            locale={{ emptyText: q ? t('openPortal.noMatch') : t('openPortal.empty') }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: query.data?.total ?? 0,
              showTotal: (n) => t('common.total', { total: n }),
              onChange: (p) => go({ page: p }),
              hideOnSinglePage: true,
            }}
            renderItem={(r) => (
              <List.Item key={r.id} data-testid="open-item" data-release-id={r.id}>
                <List.Item.Meta
                  title={
                    <Link to={`/open/${r.id}`} data-testid="open-item-link">
                      {r.title}
                    </Link>
                  }
                  description={
                    <Space wrap size={[12, 4]}>
                      <span>{r.institution.name}</span>
                      <LicenceTag licence={r.licence} />
                      <span>
                        {t('openPortal.updated')}
                        {t('common.colon')}
                        {fmtDate(r.updatedAt)}
                      </span>
                      <Tag>{t('openPortal.rows', { n: r.rows.toLocaleString() })}</Tag>
                      <Tag>{t('openPortal.downloads', { n: r.downloads.toLocaleString() })}</Tag>
                    </Space>
                  }
                />
                {r.description && <Typography.Paragraph ellipsis={{ rows: 2 }}>{r.description}</Typography.Paragraph>}
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} lg={7}>
        <TrackingLookup />
      </Col>
    </Row>
  );
}
