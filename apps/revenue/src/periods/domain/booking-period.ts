import { nextMonth } from './calendar';

/** How far past a fact's month a booking may land: a year of closed months in a row is a mistake. */
const MAX_MONTHS_AHEAD = 24;

/**
 * The month a fact of `month` is booked in: its own while it is open, else the first open month
 * after it (where it becomes a late entry naming its own).
 */
export function bookingPeriod(month: string, closed: ReadonlySet<string>): string {
  let candidate = month;
  for (let step = 0; step < MAX_MONTHS_AHEAD; step++) {
    if (!closed.has(candidate)) return candidate;
    candidate = nextMonth(candidate);
  }
  throw new Error(`no open month within ${MAX_MONTHS_AHEAD} months after ${month}`);
}
