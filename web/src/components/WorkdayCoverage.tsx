// Reminder that this year's or next year's holiday schedule is missing (GET /api/workdays/coverage): from
// 1 November (info) and 1 December (warning) when next year has none, and always when this year has none
// (error). Deadlines reaching into a year without a schedule are refused until 工作日历 has it.
import { useQuery } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import type { CSSProperties } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import type { ScheduleCoverage } from '../types.ts';

export const COVERAGE_KEY = ['workdays', 'coverage'];

/** Renders nothing while loading, on error, or when the level is ok. `link` adds a button to 工作日历. */
export function WorkdayCoverageAlert({ link = false, enabled = true, style }: { link?: boolean; enabled?: boolean; style?: CSSProperties }) {
  const { t, pick } = useI18n();
  const coverage = useQuery({ queryKey: COVERAGE_KEY, queryFn: () => api.get<ScheduleCoverage>('/api/workdays/coverage'), enabled });
  const c = coverage.data;
  if (!enabled || !c || c.level === 'ok') return null;
  // The server's message says it all (which year, what fails, what to do): a separate headline only repeated
  // its first sentence.
  return (
    <Alert
      type={c.level}
      showIcon
      style={style}
      data-testid="workday-coverage"
      title={pick(c.message)}
      action={
        link ? (
          <Link to="/workdays">
            <Button size="small" type={c.level === 'info' ? 'default' : 'primary'} data-testid="workday-coverage-open">
              {t('workdays.coverageOpen')}
            </Button>
          </Link>
        ) : undefined
      }
    />
  );
}
