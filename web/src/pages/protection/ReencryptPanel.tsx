// Finishing a rotation (PRT-5): rows sealed under a retired key version are sealed again under the active
// one. POST /api/resources/:id/keys/reencrypt moves up to maxRows per call and answers how many remain, so
// the page calls it until 0 remain and shows the progress (moved so far / the rows pending at the start,
// from the dataset's sealedRowsByKey). Loads and reads go on meanwhile; old rows stay readable throughout.
import { SyncOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Progress, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, withQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useT } from '../../i18n.tsx';
import type { ReencryptResult } from '../../protectionTypes.ts';
import { fmtCount, protectionKey, reencryptBatch } from './labels.ts';

interface Run {
  total: number;
  moved: number;
  remaining: number;
  running: boolean;
  error: unknown;
}

export function ReencryptPanel({ resourceId, pending, canRun }: { resourceId: string; pending: number; canRun: boolean }) {
  const t = useT();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [run, setRun] = useState<Run | null>(null);
  const stop = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      stop.current = true;
    };
  }, []);

  const start = async () => {
    const total = pending;
    const batch = reencryptBatch(total);
    stop.current = false;
    let moved = 0;
    let remaining = total;
    setRun({ total, moved, remaining, running: true, error: null });
    try {
      for (;;) {
        const r = await api.post<ReencryptResult>(withQuery(`/api/resources/${resourceId}/keys/reencrypt`, { maxRows: batch }));
        moved += r.moved;
        remaining = r.remaining;
        if (!mounted.current) return;
        setRun({ total: Math.max(total, moved + remaining), moved, remaining, running: remaining > 0 && r.moved > 0 && !stop.current, error: null });
        // Done, stopped, or nothing moved (another rotation or a destruction in between): stop asking.
        if (remaining === 0 || r.moved === 0 || stop.current) break;
      }
      if (remaining === 0) message.success(t('protection.reencrypt.done', { n: fmtCount(moved) }));
    } catch (error) {
      if (mounted.current) setRun({ total: Math.max(total, moved + remaining), moved, remaining, running: false, error });
    } finally {
      qc.invalidateQueries({ queryKey: protectionKey(resourceId) });
    }
  };

  const running = run?.running ?? false;
  if (pending === 0 && !run) return null;
  const percent = run ? (run.total === 0 ? 100 : Math.floor((run.moved / run.total) * 100)) : 0;

  return (
    <div data-testid="reencrypt-panel" style={{ marginBottom: 16 }}>
      {pending > 0 && !running && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="reencrypt-pending"
          data-rows={pending}
          title={t('protection.reencrypt.pending', { n: fmtCount(pending) })}
          description={t('protection.reencrypt.pendingHelp')}
          action={
            canRun ? (
              <Button type="primary" icon={<SyncOutlined />} onClick={() => void start()} data-testid="reencrypt-start">
                {t('protection.reencrypt.start')}
              </Button>
            ) : undefined
          }
        />
      )}
      {run && (
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          <Progress
            percent={percent}
            status={run.error ? 'exception' : running ? 'active' : run.remaining === 0 ? 'success' : 'normal'}
            data-testid="reencrypt-progress"
            data-moved={run.moved}
            data-remaining={run.remaining}
            data-running={running ? 'true' : 'false'}
          />
          <Space wrap>
            <Typography.Text type="secondary" data-testid="reencrypt-progress-text">
              {t('protection.reencrypt.progress', { moved: fmtCount(run.moved), total: fmtCount(run.total), remaining: fmtCount(run.remaining) })}
            </Typography.Text>
            {running && (
              <Button
                size="small"
                onClick={() => {
                  stop.current = true;
                }}
                data-testid="reencrypt-stop"
              >
                {t('protection.reencrypt.stop')}
              </Button>
            )}
          </Space>
          <ErrorAlert error={run.error} testId="reencrypt-error" />
        </Space>
      )}
    </div>
  );
}
