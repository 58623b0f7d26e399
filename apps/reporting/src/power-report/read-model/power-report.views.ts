import { z } from 'zod';

const Kw = z.number();
const Percent = z.number().nullable().describe('percent with one decimal; null without capacity');
const CurtailedKw = Kw.describe('load the active curtailments keep off, at the meter (IT × PUE)');
const ShortfallKw = Kw.nullable();

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
      curtailedKw: CurtailedKw,
      forecastShortfallKw: ShortfallKw.describe(
        "the capacity forecast's shortfall on its first date short of capacity (power's firstShortfall), 0 when none within a year; null without capacity scheduled",
      ),
      forecastShortfallDate: z.string().nullable().describe('that date, YYYY-MM-DD'),
      series: z.array(
        z.object({
          start: z.string(),
          capacityKw: Kw.nullable(),
          loadKw: Kw.describe('at the end of the interval'),
          peakLoadKw: Kw,
          utilisationPercent: Percent.describe('of the peak against capacity less reserve'),
          curtailedKw: CurtailedKw.describe('at the end of the interval'),
          forecastShortfallKw: ShortfallKw.describe(
            "the capacity forecast's shortfall on the interval's day; null for an interval past or without capacity",
          ),
        }),
      ),
    }),
  ),
});
export type PowerReportView = z.infer<typeof PowerReportView>;
