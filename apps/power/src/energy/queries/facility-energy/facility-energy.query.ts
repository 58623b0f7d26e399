import { CalendarDate, Instant } from '@fleet/contracts';
import { z } from 'zod';

const INTERVAL_MS = { hour: 3_600_000, day: 86_400_000 } as const;
/** A month of hours, a year of days: at most this many intervals a query. */
export const MAX_ENERGY_INTERVALS = 744;

/** A date is its midnight UTC. */
const Boundary = z
  .union([CalendarDate, Instant])
  .transform((value) => Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value));

/**
 * `GET /facilities/:facilityId/energy` query string: `[from, to)` cut into hours or UTC days;
 * both ends on a boundary of the interval.
 */
export const FacilityEnergyQuery = z
  .strictObject({
    from: Boundary.describe('start, a date or an instant on an interval boundary'),
    to: Boundary.describe('end (excluded), a date or an instant on an interval boundary'),
    interval: z.enum(['hour', 'day']).default('hour'),
  })
  .refine(
    (query) => query.from % INTERVAL_MS[query.interval] === 0 && query.to % INTERVAL_MS[query.interval] === 0,
    {
      message: 'from and to on whole hours (interval=hour) or midnights UTC (interval=day)',
    },
  )
  .refine((query) => query.from < query.to, { message: 'from before to', path: ['to'] })
  .refine((query) => (query.to - query.from) / INTERVAL_MS[query.interval] <= MAX_ENERGY_INTERVALS, {
    message: `at most ${MAX_ENERGY_INTERVALS} intervals`,
    path: ['to'],
  });
export type FacilityEnergyQuery = z.infer<typeof FacilityEnergyQuery>;

/** The boundaries of the query's intervals, `from` to `to`. */
export function boundariesOf(query: FacilityEnergyQuery): number[] {
  const boundaries: number[] = [];
  for (let ms = query.from; ms <= query.to; ms += INTERVAL_MS[query.interval]) boundaries.push(ms);
  return boundaries;
}
