import { CalendarDate } from '@fleet/contracts';
import { z } from 'zod';

/** `GET /facilities/:facilityId/capacity-forecast` query string: the last date forecast (default a year ahead). */
export const CapacityForecastQuery = z.strictObject({
  until: CalendarDate.optional().describe(
    'last date of the forecast, YYYY-MM-DD (default: a year from today)',
  ),
});
export type CapacityForecastQuery = z.infer<typeof CapacityForecastQuery>;

/** A forecast reaches at most this far: procurement plans months ahead, not decades. */
export const MAX_FORECAST_DAYS = 10 * 366;
