import { z } from 'zod';
import { CalendarDate, FacilityId, Instant } from '../common';
import { Coin, CoinDecimal } from '../money/coin';
import { FixingUsd, GLOBAL_FACILITY, HashrateShare, HashValueUnit, PoolName, TransactionId } from './events';

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

/** The unit a coin's hash value is quoted in: its algorithm's unit in the catalogue (`RIG_MODELS`). */
export const HASH_VALUE_UNIT_OF_COIN = { BTC: 'TH/s', ZEC: 'kSol/s' } as const;

export const HashValue = z
  .object({
    coin: Coin,
    date: CalendarDate,
    coinPerUnitPerDay: z
      .string()
      .regex(
        /^(0|[1-9]\d{0,5})(\.\d{1,16})?$/,
        'coin per unit per day as a decimal string, e.g. "0.00000051"',
      ),
    unit: HashValueUnit,
  })
  // Refused rather than converted: a ZEC value per TH/s is a mistake, not a unit to convert from.
  .refine((value) => HASH_VALUE_UNIT_OF_COIN[value.coin] === value.unit, {
    message: "the coin's unit: TH/s for BTC (SHA-256), kSol/s for ZEC (Equihash)",
    path: ['unit'],
  });
export const PostHashValuesRequest = z.object({
  values: z.array(HashValue).min(1).max(MAX_FIXINGS_PER_REQUEST),
});
export type PostHashValuesRequest = z.infer<typeof PostHashValuesRequest>;

/** `PUT /facilities/:facilityId/pools/:pool`: the share of the facility's hashrate of a coin at the pool. */
export const AssignPoolRequest = z.object({ coin: Coin, hashrateShare: HashrateShare });
export type AssignPoolRequest = z.infer<typeof AssignPoolRequest>;
