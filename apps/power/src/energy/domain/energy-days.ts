/** UTC calendar days as `YYYY-MM-DD`: the days `EnergyCostAccrued` is published for. */
const DAY_MS = 86_400_000;

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The days from `first` to `last`, both included, in order (none when `last` is before `first`). */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let ms = dayStartMs(first); ms <= dayStartMs(last); ms += DAY_MS) days.push(dayOf(ms));
  return days;
}

/** The day after `day`. */
export function nextDay(day: string): string {
  return dayOf(dayStartMs(day) + DAY_MS);
}

/** The starts of the given consecutive days and the end of the last: the intervals' boundaries. */
export function dayBoundaries(days: readonly string[]): number[] {
  return days.length === 0 ? [] : [...days.map(dayStartMs), dayStartMs(days[days.length - 1]) + DAY_MS];
}
