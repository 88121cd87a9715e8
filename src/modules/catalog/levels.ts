// Level, harm and control names for the web app and exports (pure; re-exported from the grading engine so
// server and web show the same words), plus the tag colours the web uses for each level.
import type { Level } from '../../engines/grading/levels.ts';

export { CONTROL_LABELS, MASKING_MODE_LABELS, MASKING_MODES, MASKING_SCENARIO_LABELS, MASKING_SCENARIOS } from '../../engines/grading/controls.ts';
export { HARM_DEGREE_LABELS, HARM_DEGREES, HARM_OBJECT_LABELS, HARM_OBJECTS } from '../../engines/grading/harms.ts';
export { compareLevels, LEVEL_INFO, LEVEL_LIST, LEVELS, type Level, maxLevel } from '../../engines/grading/levels.ts';

/** Ant Design tag colours, hottest for the most sensitive level. */
export const LEVEL_COLORS: Record<Level, string> = {
  core: 'red',
  important: 'volcano',
  'general-4': 'orange',
  'general-3': 'gold',
  'general-2': 'blue',
  'general-1': 'default',
};

export const GRADING_STATUSES = ['ungraded', 'pending', 'approved', 'rejected'] as const;
export const GRADING_STATUS_LABELS: Record<(typeof GRADING_STATUSES)[number], { zh: string; en: string }> = {
  ungraded: { zh: '未定级', en: 'Ungraded' },
  pending: { zh: '待审核', en: 'Pending approval' },
  approved: { zh: '已定级', en: 'Graded' },
  rejected: { zh: '已退回', en: 'Rejected' },
};

export const SCHEME_STATUS_LABELS = {
  draft: { zh: '草稿', en: 'Draft' },
  published: { zh: '现行', en: 'In force' },
  superseded: { zh: '已废止', en: 'Superseded' },
} as const;
