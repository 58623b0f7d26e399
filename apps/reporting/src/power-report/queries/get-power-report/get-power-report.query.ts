import { FacilityId, Instant } from '@fleet/contracts';
import { z } from 'zod';
import { businessNow } from '@fleet/service-kit';
import { ReportFormat } from '../../../report-kit/csv';

/** More intervals than this in one answer is a mistake (a year of hours is 8,760). */
export const MAX_POWER_INTERVALS = 10_000;

/** `GET /reports/power` query string: the window defaults to the last day by hour, or 30 days by day. */
export const GetPowerReportQuery = z
  .strictObject({
    facilityId: FacilityId.optional().describe('one facility; every facility when absent'),
    from: Instant.optional().describe('start of the series (default: `to` less a day, or 30 days by day)'),
    to: Instant.optional().describe('end of the series (default: now)'),
    interval: z.enum(['hour', 'day']).default('hour'),
    format: ReportFormat,
  })
  .refine(
    (query) =>
      query.from === undefined || query.to === undefined || Date.parse(query.from) < Date.parse(query.to),
    {
      message: '`from` must be before `to`',
      path: ['from'],
    },
  )
  .refine(
    (query) =>
      query.from === undefined ||
      ((query.to === undefined ? businessNow().getTime() : Date.parse(query.to)) - Date.parse(query.from)) /
        (query.interval === 'hour' ? 3_600_000 : 86_400_000) <=
        MAX_POWER_INTERVALS,
    { message: `at most ${MAX_POWER_INTERVALS} intervals between \`from\` and \`to\``, path: ['to'] },
  );
export type GetPowerReportQuery = z.infer<typeof GetPowerReportQuery>;
