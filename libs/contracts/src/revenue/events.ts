import { z } from 'zod';
import { CalendarDate, FacilityId, Instant, Uuid } from '../common';
import { defineEvent, type EventOf } from '../event-definition';
import type { HashrateUnit } from '../rig-models';
import { BaseUnits, Coin } from '../money/coin';
import { EnergyCostBasis } from '../power/energy-cost-accrued';
import { JournalEntry, Month, UsdCents } from './ledger';

/** A pool's name as it appears on its statements. */
export const PoolName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'letters, digits, spaces, dots, dashes and underscores');
/** A payout's transaction id on its chain (hex for BTC and ZEC). */
export const TransactionId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9]+$/, 'letters and digits');

/** USD per whole coin, or coin per unit of hashrate: positive decimals, at most 8 places. */
export const FixingUsd = z
  .string()
  .regex(/^(0|[1-9]\d{0,11})(\.\d{1,8})?$/, 'USD per coin as a decimal string, e.g. "91234.56"')
  .refine((value) => /[1-9]/.test(value), 'must be more than zero');

/** The catalogue's units (`RIG_MODELS`): hash values are quoted per unit of the rigs' nominal hashrate. */
export const HashValueUnit = z.enum(['TH/s', 'kSol/s'] satisfies HashrateUnit[]);

/**
 * The facility of events that belong to no facility (a coin's price, a hash value): their subject
 * is `fleet.revenue.global.<Type>`. No facility may take this id.
 */
export const GLOBAL_FACILITY = 'global';

/**
 * A pool paid the facility. `usd` and `fixingUsd` are null when the day had no fixing yet; a
 * `PayoutValued` follows when it arrives. `period` is the month the entry is booked in: the payout's
 * own (its UTC day's) or, when that one is closed, the first open month (`entry.lateFor` names it).
 */
export const PayoutReceived = defineEvent(
  'revenue',
  'PayoutReceived',
  1,
  z.object({
    facilityId: FacilityId,
    period: Month,
    pool: PoolName,
    txid: TransactionId,
    coin: Coin,
    amount: BaseUnits,
    paidAt: Instant,
    periodStart: Instant,
    periodEnd: Instant,
    day: CalendarDate,
    fixingUsd: FixingUsd.nullable(),
    usd: UsdCents.nullable(),
    entry: JournalEntry,
  }),
);

/** A payout booked in coin alone is valued: the fixing of its day arrived. */
export const PayoutValued = defineEvent(
  'revenue',
  'PayoutValued',
  1,
  z.object({
    facilityId: FacilityId,
    period: Month,
    pool: PoolName,
    txid: TransactionId,
    coin: Coin,
    day: CalendarDate,
    fixingUsd: FixingUsd,
    usd: UsdCents,
    entry: JournalEntry,
  }),
);

const EnergyFigure = z.object({
  kwh: z.string(),
  usd: UsdCents,
  basis: EnergyCostBasis,
  revision: z.number().int().positive(),
});

/**
 * Power's figure for a facility's day, booked: the expense and what is owed for it. A correction
 * (`replaces`) reverses the figure booked before and books the new one in the same entry.
 */
export const EnergyCostBooked = defineEvent(
  'revenue',
  'EnergyCostBooked',
  1,
  z.object({
    facilityId: FacilityId,
    period: Month,
    day: CalendarDate,
    ...EnergyFigure.shape,
    /** Power's `EnergyCostAccrued` this books. */
    sourceEventId: Uuid,
    replaces: EnergyFigure.optional(),
    entry: JournalEntry,
  }),
);

/** The month is closed: nothing is booked in it any more, and its statement and journal are final. */
export const PeriodClosed = defineEvent(
  'revenue',
  'PeriodClosed',
  1,
  z.object({ facilityId: FacilityId, period: Month, closedAt: Instant }),
);

/** A coin's USD fixing for one day. Final: the same fixing again is a no-op, another one a 409. */
export const CoinPriceFixed = defineEvent(
  'revenue',
  'CoinPriceFixed',
  1,
  z.object({ coin: Coin, date: CalendarDate, usd: FixingUsd }),
);

/** What one unit of hashrate earned in a day, as published by pools and indices. Final, as fixings. */
export const HashValuePublished = defineEvent(
  'revenue',
  'HashValuePublished',
  1,
  z.object({ coin: Coin, date: CalendarDate, coinPerUnitPerDay: z.string(), unit: HashValueUnit }),
);

export const REVENUE_EVENTS = [
  PayoutReceived,
  PayoutValued,
  EnergyCostBooked,
  PeriodClosed,
  CoinPriceFixed,
  HashValuePublished,
] as const;

export type PayoutReceived = EventOf<typeof PayoutReceived>;
export type PayoutValued = EventOf<typeof PayoutValued>;
export type EnergyCostBooked = EventOf<typeof EnergyCostBooked>;
export type PeriodClosed = EventOf<typeof PeriodClosed>;
export type CoinPriceFixed = EventOf<typeof CoinPriceFixed>;
export type HashValuePublished = EventOf<typeof HashValuePublished>;

/** The events of a facility's month (`period-<facility>-<month>` streams). */
export type PeriodEvent = PayoutReceived | PayoutValued | EnergyCostBooked | PeriodClosed;
export type RevenueEvent = PeriodEvent | CoinPriceFixed | HashValuePublished;
