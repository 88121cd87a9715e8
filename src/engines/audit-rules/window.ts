// A sliding time window per subject over events met in chain order. The window is by occurred_at; chain
// order and time order agree up to a transaction's length, so an entry leaves when the newest event is more
// than the window past it (a slightly late entry may stay a little longer: the count errs on the high side,
// never drops an event). Decisions depend only on the chain up to the event, so a re-run decides the same.
import type { StreamEvent } from './types.ts';

export interface WindowEntry {
  e: StreamEvent;
  value: number;
}

export class SlidingWindow {
  private readonly q: WindowEntry[] = [];
  private head = 0;
  private total = 0;

  constructor(private readonly windowMs: number) {}

  /** Adds the event and returns the window ending at it: (t − window, t]. */
  add(e: StreamEvent, value = 1): { sum: number; count: number } {
    this.q.push({ e, value });
    this.total += value;
    const from = e.occurredAt.getTime() - this.windowMs;
    while (this.head < this.q.length - 1) {
      const first = this.q[this.head] as WindowEntry;
      if (first.e.occurredAt.getTime() > from) break;
      this.total -= first.value;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.q.length) {
      this.q.splice(0, this.head);
      this.head = 0;
    }
    return { sum: this.total, count: this.q.length - this.head };
  }

  /** The entries now in the window, oldest first; at most `limit`, the newest kept. */
  entries(limit = 50): WindowEntry[] {
    const start = Math.max(this.head, this.q.length - limit);
    return this.q.slice(start);
  }
}

/** Sliding windows keyed by subject. */
export class Windows {
  private readonly map = new Map<string, SlidingWindow>();
  constructor(private readonly windowMs: number) {}
  get(subject: string): SlidingWindow {
    let w = this.map.get(subject);
    if (!w) {
      w = new SlidingWindow(this.windowMs);
      this.map.set(subject, w);
    }
    return w;
  }
}
