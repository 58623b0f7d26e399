/**
 * Months and days as `YYYY-MM` and `YYYY-MM-DD` strings, all in UTC: a payout belongs to the UTC
 * day it was paid, an energy cost to the day power names.
 */

/** The UTC day of an instant: "2026-11-30T23:30:00-05:00" → "2026-12-01". */
export function dayOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

export function monthOf(day: string): string {
  return day.slice(0, 7);
}

export function firstDayOf(month: string): string {
  return `${month}-01`;
}

export function nextMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
}

/** Every day of a month, in order. */
export function daysOf(month: string): string[] {
  const [year, monthNumber] = month.split('-').map(Number);
  const count = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return Array.from({ length: count }, (_, index) => `${month}-${String(index + 1).padStart(2, '0')}`);
}

/** The last day of a month: the as-of date of its closing trial balance. */
export function lastDayOf(month: string): string {
  const days = daysOf(month);
  return days[days.length - 1];
}
