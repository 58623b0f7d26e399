/**
 * A loop's wait between polls or retries that something else can cut short: new work arrived
 * (`wake`), or the loop is stopping (`wake`, after which every pause returns at once).
 */
export class InterruptiblePause {
  private waking: (() => void) | undefined;
  private stopped = false;

  /** Resolves after `ms`, or at once when woken; at once for good after `stop`. */
  for(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waking = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waking = done;
    });
  }

  /** Ends the current pause, if any. */
  wake(): void {
    this.waking?.();
  }

  /** Pauses wait again (the loop is starting, or starting over after a stop). */
  start(): void {
    this.stopped = false;
  }

  /** Ends the current pause and makes every later one return at once, until `start`. */
  stop(): void {
    this.stopped = true;
    this.wake();
  }
}
