import { DAY_MS, dayOf, dayStartMs } from '../../rig-time/domain/utc-days';

/**
 * A payout's amount (base units) spread over the UTC days of `periodStart`..`periodEnd` pro rata by
 * overlap, exactly: each day gets the floor of its share, and the units left over go one each to
 * the days with the largest remainders (the earlier day first on a tie), so the parts always add up
 * to the amount. A payout for an instant (start = end) belongs to that instant's day.
 */
export function attributePayout(amount: bigint, periodStart: string, periodEnd: string): Map<string, bigint> {
  const startMs = Date.parse(periodStart);
  const endMs = Date.parse(periodEnd);
  if (endMs <= startMs) return new Map([[dayOf(startMs), amount]]);
  const total = BigInt(endMs - startMs);
  const parts: { day: string; units: bigint; remainder: bigint }[] = [];
  for (let dayStart = dayStartMs(dayOf(startMs)); dayStart < endMs; dayStart += DAY_MS) {
    const overlap = BigInt(Math.min(endMs, dayStart + DAY_MS) - Math.max(startMs, dayStart));
    if (overlap <= 0n) continue;
    const share = amount * overlap;
    parts.push({ day: dayOf(dayStart), units: share / total, remainder: share % total });
  }
  let left = amount - parts.reduce((sum, part) => sum + part.units, 0n);
  const byRemainder = parts
    .map((part, index) => ({ part, index }))
    .sort((a, b) =>
      a.part.remainder === b.part.remainder
        ? a.index - b.index
        : a.part.remainder > b.part.remainder
          ? -1
          : 1,
    );
  for (const { part } of byRemainder) {
    if (left <= 0n) break;
    part.units += 1n;
    left -= 1n;
  }
  return new Map(parts.map((part) => [part.day, part.units]));
}
