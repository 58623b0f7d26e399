import { COINS } from '@fleet/contracts';
import { z } from 'zod';

const Usd = z.string().describe('USD, a decimal string with cents');

/** `GET /reports/pnl`: per facility and month, from revenue's events. */
export const PnlReportView = z.object({
  months: z.array(
    z.object({
      facilityId: z.string(),
      month: z.string(),
      revenue: z.array(
        z.object({
          coin: z.enum(COINS as [string, ...string[]]),
          amount: z.string().describe('whole coins, a decimal string'),
          usd: Usd.describe('of the valued payouts'),
          payouts: z.number().int().nonnegative(),
          unvaluedPayouts: z.number().int().nonnegative(),
        }),
      ),
      revenueUsd: Usd,
      energyKwh: z.string(),
      energyUsd: Usd,
      energyDays: z.number().int().nonnegative(),
      estimatedEnergyDays: z.number().int().nonnegative(),
      marginUsd: Usd,
      revenuePerThPerDayUsd: z
        .string()
        .nullable()
        .describe(
          'BTC revenue USD ÷ SHA-256 TH/s-days as the close froze them; null while the month is open',
        ),
      flags: z.array(
        z.enum(['payouts-without-fixing', 'energy-estimated', 'energy-days-missing', 'pool-variance']),
      ),
      poolVariances: z
        .array(
          z.object({
            coin: z.enum(COINS as [string, ...string[]]),
            pool: z.string(),
            day: z.string(),
            expectedAmount: z.string().describe('whole coins'),
            receivedAmount: z.string().describe('whole coins'),
            variancePercent: z.string().nullable(),
          }),
        )
        .describe('the days and pools revenue flagged beyond its tolerance (PayoutVarianceFlagged)'),
      closed: z.boolean(),
      closedAt: z.string().nullable(),
    }),
  ),
});
export type PnlReportView = z.infer<typeof PnlReportView>;
