// The resource's past scans, newest first (issue 4): when, how each ended, what it counted, who accepted it
// and when; a finished scan can be opened for review.
import { Button, Table, Tag, Tooltip, Typography } from 'antd';
import type { Job } from '../../discoveryTypes.ts';
import { fmtDateTime } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { fmtCount } from '../protection/labels.ts';
import { JOB_STATUS, scanResult } from './labels.ts';

export function ScanHistory({ scans, shown, onShow }: { scans: Job[]; shown: string | null; onShow: (jobId: string) => void }) {
  const { t, lang } = useI18n();
  return (
    <Table<Job>
      size="small"
      rowKey="id"
      dataSource={scans}
      pagination={scans.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      data-testid="scan-history"
      locale={{ emptyText: t('discovery.history.none') }}
      onRow={(j) => ({ 'data-status': j.status, 'data-job': j.id }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('discovery.history.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => fmtDateTime(v) },
        {
          title: t('common.status'),
          dataIndex: 'status',
          width: 110,
          render: (_v: unknown, j) => {
            const s = JOB_STATUS[j.status];
            const tag = (
              <Tag color={s.color} data-testid="scan-history-status">
                {t(s.label)}
              </Tag>
            );
            const why = j.error ? (lang === 'en' && j.error.messageEn ? j.error.messageEn : j.error.message) : null;
            return why ? <Tooltip title={why}>{tag}</Tooltip> : tag;
          },
        },
        {
          title: t('discovery.review.rows'),
          key: 'rows',
          width: 140,
          render: (_v: unknown, j) => {
            const r = scanResult(j);
            const n = r ? r.rows : j.progress.done;
            return (
              <span>
                {fmtCount(n)}
                {r?.sampled && <Tag style={{ marginInlineStart: 4 }}>{t('discovery.review.sampled')}</Tag>}
              </span>
            );
          },
        },
        {
          title: t('discovery.review.datasetVersion'),
          key: 'version',
          width: 90,
          render: (_v: unknown, j) => {
            const r = scanResult(j);
            return r ? `v${r.datasetVersion}` : '—';
          },
        },
        {
          title: t('pi.records'),
          key: 'pi',
          width: 130,
          render: (_v: unknown, j) => {
            const r = scanResult(j);
            return r ? fmtCount(r.summary.rowsWithPi) : '—';
          },
        },
        {
          title: t('discovery.history.accepted'),
          key: 'accepted',
          render: (_v: unknown, j) => {
            const a = scanResult(j)?.accepted;
            return a ? (
              <span data-testid="scan-history-accepted">{`${a.by.displayName} · ${fmtDateTime(a.at)}`}</span>
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            );
          },
        },
        {
          title: t('common.actions'),
          key: 'actions',
          width: 100,
          render: (_v: unknown, j) =>
            scanResult(j) ? (
              <Button size="small" type={shown === j.id ? 'primary' : 'default'} onClick={() => onShow(j.id)} data-testid="scan-history-show">
                {t('discovery.history.show')}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}
