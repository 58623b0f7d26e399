import { BusinessClock } from './business-clock';

/**
 * The process's business clock. One per process, because a service is one process and what reads
 * business time is everywhere (event metadata, pure helpers' defaults) where injection is not; the
 * service's start-up installs the clock its settings ask for, and Nest provides the same object as
 * `BusinessClock`.
 */
let processClock = new BusinessClock();

/** Business time now: the instant to stamp on events and to decide "is this day over" with. */
export function businessNow(): Date {
  return processClock.now();
}

/** The process's clock (to listen to its jumps, or to read it in milliseconds). */
export function businessClock(): BusinessClock {
  return processClock;
}

/** Makes `clock` the process's clock (at start-up). */
export function installBusinessClock(clock: BusinessClock): BusinessClock {
  processClock = clock;
  return clock;
}
