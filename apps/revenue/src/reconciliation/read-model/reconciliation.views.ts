import { Coin, FacilityId, Month } from '@fleet/contracts';
import { z } from 'zod';
import { coinText, type ReconciliationLine } from '../domain/reconcile';

const CoinAmount = z.string().describe('coin, every decimal of the coin (8 for BTC and ZEC)');

export const ReconciliationLineView = z.object({
  day: z.string(),
  coin: Coin,
  pool: z.string(),
  hashrateShare: z
    .string()
    .nullable()
    .describe("the pool's share of the coin's hashrate; null when unassigned"),
  expectedAmount: CoinAmount.nullable().describe(
    'online rig-days × nominal hashrate × the hash value of the day × the share; null without a hash value or share',
  ),
  receivedAmount: CoinAmount.describe("the pool's payouts attributed to the day, pro rata by period overlap"),
  varianceAmount: CoinAmount.nullable().describe('received − expected'),
  variancePercent: z.string().nullable().describe('(received − expected) / expected × 100, two decimals'),
  complete: z
    .boolean()
    .describe('the day is over, its hash value known, a payout covers it, the share known'),
  flagged: z.boolean().describe('complete and beyond the tolerance'),
});

export const ReconciliationView = z.object({
  facilityId: FacilityId,
  month: Month,
  tolerancePercent: z.string(),
  asOf: z.string().describe('the instant the rig time of a day not yet over is counted up to'),
  lines: z.array(ReconciliationLineView),
});
export type ReconciliationView = z.infer<typeof ReconciliationView>;

export function toReconciliationLineView(line: ReconciliationLine): z.infer<typeof ReconciliationLineView> {
  return {
    day: line.day,
    coin: line.coin,
    pool: line.pool,
    hashrateShare: line.hashrateShare,
    expectedAmount: coinText(line.coin, line.expectedAmount),
    receivedAmount: coinText(line.coin, line.receivedAmount) ?? '0',
    varianceAmount: coinText(line.coin, line.varianceAmount),
    variancePercent: line.variancePercent,
    complete: line.complete,
    flagged: line.flagged,
  };
}

export const PoolAssignmentView = z.object({
  facilityId: FacilityId,
  pool: z.string(),
  coin: Coin,
  hashrateShare: z.string(),
});
export type PoolAssignmentView = z.infer<typeof PoolAssignmentView>;
