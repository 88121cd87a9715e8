// A task a server process repeats in the background (the alerts processor, the sharing sweeper): one run at a
// time, the next one `intervalMs` after the previous one ended, errors reported and never thrown, and a stop
// that waits for the run in progress.
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Starts repeating; the first run comes after `firstDelayMs`. A second start while running does nothing. */
  start(intervalMs: number, firstDelayMs = intervalMs): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.run()
        .catch((err) => this.onError(err))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.schedule(tick, intervalMs);
        });
    };
    this.schedule(tick, firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(tick: () => void, ms: number): void {
    this.timer = setTimeout(tick, ms);
    this.timer.unref();
  }
}
