// 敏感数据发现 tab of a resource's 数据保护 page (issue 4: "the review UI"; CLS-2, CLS-3, AST-11, DG-13,
// DG-23): the steward scans the data loaded for the resource (all rows or a uniform sample) in a background
// job, follows its progress (cancel possible), reviews the result field by field and accepts it; the past
// scans stay listed. Starting, cancelling and accepting need catalog.manage at the resource's institution
// (DiscoveryService.start / accept, the job kind's cancel permission); reading needs catalog.read.
import { FileSearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Empty, InputNumber, Space, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api, isApiError } from '../../api.ts';
import { ErrorAlert, ErrorResult, Loading } from '../../components/ErrorAlert.tsx';
import type { Job, RecognizerSet, ScanStart } from '../../discoveryTypes.ts';
import { fmtDateTime } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import type { DatasetInfo } from '../../protectionTypes.ts';
import type { ResourceDetail } from '../../types.ts';
import { useReach } from '../systems/assetCheckAccess.ts';
import { customNames, isActive, scanResult, scansKey } from './labels.ts';
import { ScanHistory } from './ScanHistory.tsx';
import { ScanProgress } from './ScanProgress.tsx';
import { ScanReview } from './ScanReview.tsx';

/** The server's bound on a sample (ScanStart.sample). */
const MAX_SAMPLE = 10_000_000;

export function DiscoveryTab({ resource, dataset }: { resource: ResourceDetail; dataset: DatasetInfo }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const manage = useReach('catalog.manage').at(resource.institutionId);
  const [sample, setSample] = useState<number | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const scans = useQuery({ queryKey: scansKey(resource.id), queryFn: () => api.get<Job[]>(`/api/resources/${resource.id}/scans`) });
  // The authority's own recognizers, for their names (read with scheme.read; without it their IDs show).
  const recognizers = useQuery({
    queryKey: ['discovery', 'recognizers'],
    queryFn: () => api.get<RecognizerSet>('/api/discovery/recognizers'),
    retry: false,
    staleTime: 5 * 60_000,
  });
  const custom = useMemo(() => customNames(recognizers.data?.recognizers ?? []), [recognizers.data]);

  const start = useMutation({
    mutationFn: () => {
      const body: ScanStart = sample ? { sample } : {};
      return api.post<Job>(`/api/resources/${resource.id}/scans`, body);
    },
    onSuccess: (job) => {
      qc.setQueryData<Job[]>(scansKey(resource.id), (old) => [job, ...(old ?? []).filter((j) => j.id !== job.id)]);
      setPicked(null);
    },
    onError: (e) => {
      // Someone else's scan is already queued or running: show it.
      if (isApiError(e, 'SCAN_RUNNING')) void qc.invalidateQueries({ queryKey: scansKey(resource.id) });
    },
  });

  if (scans.isError) return <ErrorResult error={scans.error} onRetry={() => void scans.refetch()} />;
  if (!scans.data) return <Loading />;
  const list = scans.data;
  const active = list.find(isActive);
  const finished = list.filter((j) => scanResult(j) !== null);
  const shown = finished.find((j) => j.id === picked) ?? finished[0];
  const shownResult = shown ? scanResult(shown) : null;
  const newest = list[0];
  const ended = newest && !isActive(newest) && newest.status !== 'succeeded' ? newest : null;

  return (
    <div data-testid="discovery-tab">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} align="start" wrap>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 720 }}>
          {t('discovery.intro')}
        </Typography.Paragraph>
        {manage && (
          <Space wrap>
            <InputNumber<number>
              min={1}
              max={MAX_SAMPLE}
              precision={0}
              value={sample}
              onChange={(v) => setSample(v ?? null)}
              placeholder={t('discovery.samplePlaceholder')}
              style={{ width: 200 }}
              prefix={t('discovery.sample')}
              data-testid="scan-sample"
            />
            <Tooltip title={!dataset.loaded ? t('discovery.notLoaded') : active ? t('discovery.running') : undefined}>
              <Button
                type="primary"
                icon={<FileSearchOutlined />}
                disabled={!dataset.loaded || !!active}
                loading={start.isPending}
                onClick={() => start.mutate()}
                data-testid="scan-start"
              >
                {t('discovery.start')}
              </Button>
            </Tooltip>
          </Space>
        )}
      </Space>
      <ErrorAlert error={start.error && !isApiError(start.error, 'SCAN_RUNNING') ? start.error : null} testId="scan-start-error" />

      {active && <ScanProgress key={active.id} job={active} resourceId={resource.id} canCancel={manage} />}

      {ended && (
        <Alert
          type={ended.status === 'failed' ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="scan-ended"
          data-status={ended.status}
          title={
            ended.status === 'failed'
              ? t('discovery.failed', { at: fmtDateTime(ended.finishedAt) })
              : t('discovery.cancelled', { at: fmtDateTime(ended.finishedAt) })
          }
          description={ended.error ? (lang === 'en' && ended.error.messageEn ? ended.error.messageEn : ended.error.message) : undefined}
        />
      )}

      {shown && shownResult ? (
        <ScanReview key={shown.id} job={shown} result={shownResult} resource={resource} dataset={dataset} canAccept={manage} custom={custom} />
      ) : (
        !active && (
          <Empty
            style={{ margin: '24px 0' }}
            data-testid="scan-none"
            description={dataset.loaded ? t('discovery.none') : t('discovery.notLoaded')}
            image={Empty.PRESENTED_IMAGE_SIMPLE}
          />
        )
      )}

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('discovery.history.title')}
      </Typography.Title>
      <ScanHistory scans={list} shown={shown?.id ?? null} onShow={setPicked} />
    </div>
  );
}
