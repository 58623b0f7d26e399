import { z } from 'zod';

const Kw = z.number();
const Percent = z.number().nullable().describe('percent with one decimal; null without capacity');
const NotPublishedYet = z.null().describe('null until power publishes it');

/** `GET /reports/power`: per facility, the figures now and per interval of the window. */
export const PowerReportView = z.object({
  from: z.string(),
  to: z.string(),
  interval: z.enum(['hour', 'day']),
  facilities: z.array(
    z.object({
      facilityId: z.string(),
      capacityKw: Kw.nullable().describe('capacity in force now, at the meter'),
      reserveKw: Kw,
      pue: z.number(),
      loadKw: Kw.describe('allocated load at the meter (IT × PUE)'),
      itKw: Kw,
      rigsOn: z.number().int().nonnegative(),
      utilisationPercent: Percent,
      curtailedKw: NotPublishedYet,
      forecastShortfallKw: NotPublishedYet,
      series: z.array(
        z.object({
          start: z.string(),
          capacityKw: Kw.nullable(),
          loadKw: Kw.describe('at the end of the interval'),
          peakLoadKw: Kw,
          utilisationPercent: Percent.describe('of the peak against capacity less reserve'),
          curtailedKw: NotPublishedYet,
          forecastShortfallKw: NotPublishedYet,
        }),
      ),
    }),
  ),
});
export type PowerReportView = z.infer<typeof PowerReportView>;
