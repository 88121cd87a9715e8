// Small pieces of the protection page: the key state and key status tags, and a digest shown in monospace
// with a copy button.
import { Tag, Tooltip, Typography } from 'antd';
import { useT } from '../../i18n.tsx';
import type { DataKeyStatus, KeyState } from '../../protectionTypes.ts';
import { KEY_STATE, KEY_STATUS } from './labels.ts';

export function KeyStateTag({ state, testId = 'key-state' }: { state: KeyState; testId?: string }) {
  const t = useT();
  return (
    <Tag color={KEY_STATE[state].color} data-testid={testId} data-state={state}>
      {t(KEY_STATE[state].label)}
    </Tag>
  );
}

export function KeyStatusTag({ status }: { status: DataKeyStatus }) {
  const t = useT();
  return (
    <Tag color={KEY_STATUS[status].color} data-testid="key-status" data-status={status}>
      {t(KEY_STATUS[status].label)}
    </Tag>
  );
}

/**
 * A content hash (SM3, hex): monospace and copyable. `short` shows the first and last 8 characters (the
 * whole value in a tooltip and in what is copied), for tables.
 */
export function HashText({ value, short = false, testId = 'hash' }: { value: string | null | undefined; short?: boolean; testId?: string }) {
  const t = useT();
  if (!value) return <>—</>;
  const shown = short && value.length > 20 ? `${value.slice(0, 8)}…${value.slice(-8)}` : value;
  const text = (
    <Typography.Text
      code
      copyable={{ text: value, tooltips: [t('common.copy'), t('common.copied')] }}
      style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', wordBreak: 'break-all' }}
      data-testid={testId}
      data-hash={value}
    >
      {shown}
    </Typography.Text>
  );
  return shown === value ? text : <Tooltip title={<span style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{value}</span>}>{text}</Tooltip>;
}
