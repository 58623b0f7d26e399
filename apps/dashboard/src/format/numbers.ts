/** What the page shows for a figure the report does not have yet (null), never a misleading 0. */
export const NOT_AVAILABLE = 'not available';

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const kilowatts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 1300 → "1,300". */
export function formatCount(value: number): string {
  return counts.format(value);
}

/** 2998.8 → "2,998.8 kW"; null → "not available". */
export function formatKw(value: number | null): string {
  return value === null ? NOT_AVAILABLE : `${kilowatts.format(value)} kW`;
}

/** 87.5 → "87.5 %"; null → "not available". */
export function formatPercent(value: number | null): string {
  return value === null ? NOT_AVAILABLE : `${kilowatts.format(value)} %`;
}

/**
 * Groups the digits of a decimal string ("3500000.50" → "3,500,000.50") without turning it into a
 * float: money and energy arrive as exact decimal strings and are shown exactly.
 */
export function groupDigits(decimal: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(decimal.trim());
  if (!match) return decimal;
  const [, sign = '', whole = '', fraction = ''] = match;
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** "3500000.00" → "USD 3,500,000.00": the decimals the report gives, exactly. */
export function formatUsd(decimal: string): string {
  return `USD ${groupDigits(decimal)}`;
}

/** A decimal string of kWh, grouped. */
export function formatKwh(decimal: string): string {
  return `${groupDigits(decimal)} kWh`;
}

/** The start of a power interval as its axis label, in UTC: "11-29 14:00" by hour, "2026-11-29" by day. */
export function intervalLabel(start: string, interval: 'hour' | 'day'): string {
  const iso = new Date(start).toISOString();
  return interval === 'day' ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** An ISO date or instant as a day ("2027-03-01"), or "—" for none. */
export function formatDay(value: string | null): string {
  return value === null ? '—' : value.slice(0, 10);
}
