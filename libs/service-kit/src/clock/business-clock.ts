/** `system`: the machine's time. `controlled` (tests only): time an admin sets, running on from there. */
export type ClockMode = 'system' | 'controlled';

/** Told the instant the clock was set to, right after a jump. */
export type ClockJumpListener = (now: Date) => void;

/** Setting the clock to an instant before its own now: business time never runs backwards. */
export class ClockWouldGoBackError extends Error {
  constructor(
    readonly requested: Date,
    readonly current: Date,
  ) {
    super(`the clock is at ${current.toISOString()}; it cannot be set back to ${requested.toISOString()}`);
    this.name = 'ClockWouldGoBackError';
  }
}

/**
 * Business time: the instant events happen at, days end at and months close at. It is the system
 * time unless the clock is `controlled`, where a test moves it forward (a month of operations in
 * minutes); after a set it runs on from the set instant at normal speed. Technical time (timeouts,
 * leases, metrics, when a row was written) never reads it.
 */
export class BusinessClock {
  private offsetMs: number;
  private readonly listeners = new Set<ClockJumpListener>();

  constructor(
    readonly mode: ClockMode = 'system',
    /** Where a controlled clock starts; undefined: the system time. */
    start?: Date,
    private readonly systemMs: () => number = Date.now,
  ) {
    if (mode === 'system' && start !== undefined)
      throw new Error('only a controlled clock may start at another instant than the system time');
    this.offsetMs = start === undefined ? 0 : start.getTime() - systemMs();
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.systemMs() + this.offsetMs;
  }

  /**
   * Moves a controlled clock to `instant` (not before its now) and tells every listener at once.
   * Answers the clock's now after the set.
   */
  set(instant: Date): Date {
    if (this.mode !== 'controlled') throw new Error('the system clock cannot be set');
    const current = this.now();
    if (instant.getTime() < current.getTime()) throw new ClockWouldGoBackError(instant, current);
    this.offsetMs = instant.getTime() - this.systemMs();
    for (const listener of [...this.listeners]) listener(instant);
    return instant;
  }

  /** `listener` runs after every jump (schedules run a round at once); call the answer to stop. */
  onJump(listener: ClockJumpListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
