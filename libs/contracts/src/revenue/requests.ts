import { z } from 'zod';
import { CalendarDate, FacilityId, Instant } from '../common';
import { Coin, CoinDecimal } from '../money/coin';
import { FixingUsd, GLOBAL_FACILITY, HashValueUnit, PoolName, TransactionId } from './events';

/** A facility a payout is booked for: any but the id that revenue's facility-less events use. */
const PayoutFacilityId = FacilityId.refine((id) => id !== GLOBAL_FACILITY, {
  message: `"${GLOBAL_FACILITY}" is reserved for events of no facility (fixings, hash values)`,
});

/** HTTP request bodies of the revenue API. Coin amounts are decimal strings, checked per coin. */
export const RecordPayoutRequest = z
  .object({
    facilityId: PayoutFacilityId,
    pool: PoolName,
    coin: Coin,
    amount: CoinDecimal,
    paidAt: Instant,
    periodStart: Instant,
    periodEnd: Instant,
    txid: TransactionId,
  })
  .refine((payout) => Date.parse(payout.periodStart) <= Date.parse(payout.periodEnd), {
    message: 'periodStart must not be after periodEnd',
    path: ['periodEnd'],
  });
export type RecordPayoutRequest = z.infer<typeof RecordPayoutRequest>;

export const MAX_FIXINGS_PER_REQUEST = 1000;

export const PriceFixing = z.object({ coin: Coin, date: CalendarDate, usd: FixingUsd });
export const PostPricesRequest = z.object({
  fixings: z.array(PriceFixing).min(1).max(MAX_FIXINGS_PER_REQUEST),
});
export type PostPricesRequest = z.infer<typeof PostPricesRequest>;

export const HashValue = z.object({
  coin: Coin,
  date: CalendarDate,
  coinPerUnitPerDay: z
    .string()
    .regex(/^(0|[1-9]\d{0,5})(\.\d{1,16})?$/, 'coin per unit per day as a decimal string, e.g. "0.00000051"'),
  unit: HashValueUnit,
});
export const PostHashValuesRequest = z.object({
  values: z.array(HashValue).min(1).max(MAX_FIXINGS_PER_REQUEST),
});
export type PostHashValuesRequest = z.infer<typeof PostHashValuesRequest>;
