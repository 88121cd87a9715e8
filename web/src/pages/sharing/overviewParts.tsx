// Shared bits of the authority's pages (queue, overdue): a due date that turns red once passed.
import { Space, Tag, Typography } from 'antd';
import { useT } from '../../i18n.tsx';

/** A Beijing calendar date ('YYYY-MM-DD' from the server), red with a tag once the deadline has passed. */
export function DueCell({ dueDate, overdue, daysOverdue }: { dueDate: string | null; overdue: boolean; daysOverdue?: number }) {
  const t = useT();
  if (!dueDate) return <span>—</span>;
  if (!overdue) return <span>{dueDate}</span>;
  return (
    <Space size={4} data-testid="due-overdue">
      <Typography.Text type="danger">{dueDate}</Typography.Text>
      <Tag color="red">{daysOverdue ? t('sharingOverdue.days', { n: daysOverdue }) : t('sharingOverdue.overdue')}</Tag>
    </Space>
  );
}
