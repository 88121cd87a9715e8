// 数据汇聚白名单 on the settings page (GET/PUT /api/settings/data-pull-hosts): the database servers a table
// pull may connect to, one entry a line. Shown to settings.read, editable with settings.manage. Entries are
// checked here with the server's own parser (src/engines/pull-hosts) and again by the server.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Tag, Typography } from 'antd';
import { useState } from 'react';
import { MAX_PULL_HOST_ENTRIES, validatePullHosts } from '../../../src/engines/pull-hosts/index.ts';
import { api } from '../api.ts';
import { ErrorAlert, ErrorResult, Loading } from '../components/ErrorAlert.tsx';
import { useI18n } from '../i18n.tsx';

interface DataPullHosts {
  hosts: string[];
}

const KEY = ['settings', 'data-pull-hosts'];

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

export function DataPullHostsCard({ editable }: { editable: boolean }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [text, setText] = useState<string | null>(null);
  const list = useQuery({ queryKey: KEY, queryFn: () => api.get<DataPullHosts>('/api/settings/data-pull-hosts') });
  const save = useMutation({
    mutationFn: (hosts: string[]) => api.put<DataPullHosts>('/api/settings/data-pull-hosts', { hosts }),
    onSuccess: (v) => {
      qc.setQueryData(KEY, v);
      setText(null);
      message.success(t('common.saved'));
    },
  });
  const current = text ?? (list.data?.hosts ?? []).join('\n');
  const entries = lines(current);
  const check = validatePullHosts(entries);
  const tooMany = entries.length > MAX_PULL_HOST_ENTRIES;
  const localError = check.errors[0]
    ? t('pullHosts.badEntry', { n: check.errors[0].index + 1, entry: check.errors[0].entry, reason: check.errors[0].reason[lang] })
    : tooMany
      ? t('pullHosts.tooMany', { max: MAX_PULL_HOST_ENTRIES })
      : null;

  return (
    <Card title={t('pullHosts.title')} data-testid="data-pull-hosts" style={{ marginTop: 16 }}>
      {list.isPending && <Loading />}
      {list.isError && <ErrorResult error={list.error} onRetry={() => list.refetch()} />}
      {list.data && (
        <>
          <Typography.Paragraph type="secondary">{t('pullHosts.intro')}</Typography.Paragraph>
          {list.data.hosts.length === 0 && (
            <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('pullHosts.empty')} data-testid="pull-hosts-empty" />
          )}
          {editable ? (
            <Form layout="vertical" onFinish={() => save.mutate(entries)}>
              <Form.Item
                label={t('pullHosts.entries')}
                extra={t('pullHosts.help', { max: MAX_PULL_HOST_ENTRIES })}
                validateStatus={localError ? 'error' : undefined}
                help={localError ?? undefined}
              >
                <Input.TextArea
                  value={current}
                  onChange={(e) => {
                    setText(e.target.value);
                    save.reset();
                  }}
                  autoSize={{ minRows: 4, maxRows: 16 }}
                  spellCheck={false}
                  placeholder={'db.example.cn:5432\n10.20.0.0/16\n[fd00::1]:5432'}
                  style={{ fontFamily: 'monospace' }}
                  data-testid="pull-hosts-input"
                />
              </Form.Item>
              <ErrorAlert error={save.error} testId="pull-hosts-error" />
              <Button type="primary" htmlType="submit" loading={save.isPending} disabled={!!localError} data-testid="pull-hosts-save">
                {t('common.save')}
              </Button>
            </Form>
          ) : (
            <>
              <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('pullHosts.readOnly')} data-testid="pull-hosts-readonly" />
              <div data-testid="pull-hosts-list">
                {list.data.hosts.map((h) => (
                  <Tag key={h} style={{ fontFamily: 'monospace', marginBottom: 4 }}>
                    {h}
                  </Tag>
                ))}
              </div>
            </>
          )}
        </>
      )}
    </Card>
  );
}
