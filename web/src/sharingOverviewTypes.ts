// The authority's sharing overview API types (approval queue, overdue list, sharing map), from the server's
// TypeBox schemas (src/modules/sharing/overview.schemas.ts).
import type { Static } from 'typebox';
import type {
  OVERDUE_KINDS,
  OverdueItem as OverdueItemSchema,
  SharingMap as SharingMapSchema,
  SharingOverdue as SharingOverdueSchema,
  SharingQueue as SharingQueueSchema,
} from '../../src/modules/sharing/overview.schemas.ts';

export type SharingQueue = Static<typeof SharingQueueSchema>;
export type QueueItem = SharingQueue['items'][number];
export type SharingOverdue = Static<typeof SharingOverdueSchema>;
export type OverdueItem = Static<typeof OverdueItemSchema>;
export type OverdueKind = (typeof OVERDUE_KINDS)[number];
export type SharingMap = Static<typeof SharingMapSchema>;
export type SharingMapLink = SharingMap['links'][number];
