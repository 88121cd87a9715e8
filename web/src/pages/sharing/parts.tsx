// Small pieces shared by the sharing pages: status tags, due dates (overdue in red), the approval chain as
// a step timeline (LIF-4), the description of a grant's scope, and the "which side am I on" tabs of the lists.
import { Space, Steps, Tabs, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { api } from '../../api.ts';
import { fmtDate, fmtDateTime } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import type { RequestStep } from '../../sharingTypes.ts';
import { type Label, labelOf, STEP_KIND, STEP_STATUS } from './labels.ts';

type Tagged = Label & { color: string };

export function StatusTag<K extends string>({ table, value, testId }: { table: Record<K, Tagged>; value: K; testId?: string }) {
  const { pick } = useI18n();
  const l = (table as Record<string, Tagged>)[value] ?? { zh: value, en: value, color: 'default' };
  return (
    <Tag color={l.color} data-testid={testId} data-status={value}>
      {pick(l)}
    </Tag>
  );
}

/** A due date ('YYYY-MM-DD', Beijing); red with an 逾期 tag when overdue. */
export function Due({ date, overdue, testId }: { date: string | null | undefined; overdue: boolean; testId?: string }) {
  const t = useT();
  if (!date) return <span>—</span>;
  if (!overdue) return <span data-testid={testId}>{date}</span>;
  return (
    <Space size={4} data-testid={testId} data-overdue="true">
      <Typography.Text type="danger">{date}</Typography.Text>
      <Tag color="red">{t('sharing.overdue')}</Tag>
    </Space>
  );
}

/** The approval chain (LIF-4): one step per decider, its due date, who decided and why. */
export function StepsTimeline({ steps }: { steps: RequestStep[] }) {
  const t = useT();
  const { pick } = useI18n();
  const current = steps.findIndex((s) => s.status === 'open');
  const status = (s: RequestStep): 'wait' | 'process' | 'finish' | 'error' =>
    s.status === 'approved' ? 'finish' : s.status === 'rejected' ? 'error' : s.status === 'open' ? (s.overdue ? 'error' : 'process') : 'wait';
  return (
    <Steps
      orientation="vertical"
      size="small"
      current={current < 0 ? steps.length : current}
      data-testid="request-steps"
      items={steps.map((s) => ({
        status: status(s),
        title: (
          <Space size={6} wrap data-testid={`step-${s.kind}`} data-step-status={s.status}>
            <span>{pick(labelOf(STEP_KIND, s.kind))}</span>
            <Typography.Text type="secondary">{s.institution.name}</Typography.Text>
            <StatusTag table={STEP_STATUS} value={s.status} />
          </Space>
        ),
        content: (
          <Space orientation="vertical" size={0}>
            {s.openedAt && (
              <Typography.Text type="secondary">
                {t('sharing.step.opened')}
                {t('common.colon')}
                {fmtDateTime(s.openedAt)}
              </Typography.Text>
            )}
            {s.dueDate && (
              <span>
                {t('sharing.step.due')}
                {t('common.colon')}
                <Due date={s.dueDate} overdue={s.overdue} />
              </span>
            )}
            {s.decidedBy && <Typography.Text>{t('sharing.step.decided', { by: s.decidedBy.displayName, at: fmtDateTime(s.decidedAt) })}</Typography.Text>}
            {s.reason && <Typography.Text type="secondary">{s.reason}</Typography.Text>}
          </Space>
        ),
      }))}
    />
  );
}

export function Term({ start, end }: { start: string; end: string }) {
  return (
    <span>
      {fmtDate(start)} — {fmtDate(end)}
    </span>
  );
}

/**
 * The side tabs above a sharing list (as the data user, as the provider, all): a side shows only to someone
 * holding its permission; 'all' is everything within the caller's reach. Choosing a tab filters by `role`.
 */
export function RoleTabs<R extends string>({
  sides,
  value,
  onChange,
  testIdPrefix,
  extra,
}: {
  sides: { key: R; label: string; shown: boolean }[];
  value: R | undefined;
  onChange: (role: R | undefined) => void;
  testIdPrefix: string;
  extra?: ReactNode;
}) {
  const t = useT();
  const items = [...sides.filter((s) => s.shown), { key: 'all', label: t('sharing.requests.tab.all') }];
  return (
    <Tabs
      activeKey={value ?? 'all'}
      onChange={(k) => onChange(k === 'all' ? undefined : (k as R))}
      items={items.map((x) => ({ key: x.key, label: <span data-testid={`${testIdPrefix}-tab-${x.key}`}>{x.label}</span> }))}
      tabBarExtraContent={extra}
    />
  );
}

/** A file kept with a record (evidence, a report): its name downloads it; the SM3 recorded at upload beside it. */
export function StoredFileLink({ path, fileName, sm3, testId }: { path: string; fileName: string; sm3: string | null; testId?: string }) {
  return (
    <span>
      <Typography.Link onClick={() => void api.download(path, fileName)} data-testid={testId}>
        {fileName}
      </Typography.Link>
      {sm3 && (
        <>
          {' '}
          · SM3 <Typography.Text code>{sm3}</Typography.Text>
        </>
      )}
    </span>
  );
}
