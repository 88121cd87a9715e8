// Small helpers the rules share: who and where an event concerns, Beijing wall-clock time, labels.
// dates.ts, not the workdays index: the web app imports the rules (parameter specs) without the holiday tables.
import { beijingDate } from '../workdays/dates.ts';
import type { Bilingual, StreamEvent } from './types.ts';

export { beijingDate };

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const MS_PER_DAY = 86_400_000;

/** Minutes after Beijing midnight of an instant (Beijing has no daylight saving: a fixed UTC+8). */
export function beijingMinuteOfDay(instant: Date): number {
  const ms = (((instant.getTime() + BEIJING_OFFSET_MS) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  return Math.floor(ms / 60_000);
}

/** 'HH:MM' of an instant in Beijing time. */
export function beijingClock(instant: Date): string {
  const m = beijingMinuteOfDay(instant);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The institution an event concerns: its target's, else the one the actor acted for. */
export function institutionOf(e: StreamEvent): string | null {
  return e.targetInstitutionId ?? e.actingInstitutionId ?? null;
}

/** How an actor is named in a summary. */
export function who(e: StreamEvent): string {
  return e.actorUsername ?? e.actorUserId ?? '—';
}

/** A positive finite number in details, else undefined. */
export function numberIn(details: Record<string, unknown>, key: string): number | undefined {
  const v = details[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

export function stringIn(details: Record<string, unknown>, key: string): string | undefined {
  const v = details[key];
  return typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined;
}

export function label(action: string, labels?: (action: string) => Bilingual | undefined): Bilingual {
  const l = labels?.(action);
  return l ? { zh: `${l.zh}（${action}）`, en: `${l.en} (${action})` } : { zh: action, en: action };
}

/** The span of a list of events (non-empty). */
export function span(events: readonly StreamEvent[]): { first: Date; last: Date } {
  let first = (events[0] as StreamEvent).occurredAt;
  let last = first;
  for (const e of events) {
    if (e.occurredAt < first) first = e.occurredAt;
    if (e.occurredAt > last) last = e.occurredAt;
  }
  return { first, last };
}
