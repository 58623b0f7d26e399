/** Milliseconds in a UTC day: revenue's days are UTC days, as power's energy days and the payouts' days. */
export const DAY_MS = 86_400_000;

/** The UTC day (`YYYY-MM-DD`) of an instant in epoch milliseconds. */
export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Midnight UTC starting a day, in epoch milliseconds. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}
