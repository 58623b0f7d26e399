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

/**
 * A facility month's rig time as revenue saw it from power's and inventory's events: online and
 * installed rig-hours, and per algorithm the hashrate-days (nominal hashrate × days online) in the
 * catalogue's unit. Decimal strings.
 */
export const RigTimeFigures = z.object({
  onlineRigHours: z.string(),
  installedRigHours: z.string(),
  byAlgorithm: z.array(
    z.object({
      algorithm: z.enum(['SHA-256', 'Equihash']),
      unit: HashValueUnit,
      onlineRigHours: z.string(),
      hashrateUnitDays: z.string(),
    }),
  ),
});
export type RigTimeFigures = z.infer<typeof RigTimeFigures>;

/**
 * The month is closed: nothing is booked in it any more, and its statement and journal are final.
 * `rigTime` freezes the month's rig time at the close, so a power event arriving later cannot change
 * the closed statement (absent on months closed before revenue counted rig time).
 */
export const PeriodClosed = defineEvent(
  'revenue',
  'PeriodClosed',
  1,
  z.object({
    facilityId: FacilityId,
    period: Month,
    closedAt: Instant,
    rigTime: RigTimeFigures.optional(),
  }),
);

/** A share of a facility's hashrate of one coin, as a decimal from 0 to 1 (at most 6 places). */
export const HashrateShare = z
  .string()
  .regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'a decimal from 0 to 1 with at most 6 places, e.g. "0.5"');

/**
 * Which pool the facility's hashrate of a coin points at: `hashrateShare` of it (the rest at the
 * coin's other pools). A share of 0 takes the pool out of the coin's reconciliation.
 */
export const PoolAssigned = defineEvent(
  'revenue',
  'PoolAssigned',
  1,
  z.object({ facilityId: FacilityId, pool: PoolName, coin: Coin, hashrateShare: HashrateShare }),
);

/**
 * A pool paid a facility's day more or less than its hashrate earned (rig-hours × nominal hashrate ×
 * the day's hash value × the pool's share) by more than the tolerance. Amounts in base units;
 * `variancePercent` is (received − expected) / expected × 100, null when nothing was expected. One
 * stream per facility, coin, pool and day: `revision` grows only when the figures change.
 */
export const PayoutVarianceFlagged = defineEvent(
  'revenue',
  'PayoutVarianceFlagged',
  1,
  z.object({
    facilityId: FacilityId,
    pool: PoolName,
    coin: Coin,
    day: CalendarDate,
    expectedAmount: BaseUnits,
    receivedAmount: BaseUnits,
    varianceAmount: z.string().regex(/^-?\d+$/),
    variancePercent: z.string().nullable(),
    tolerancePercent: z.string(),
    revision: z.number().int().positive(),
  }),
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
  PoolAssigned,
  PayoutVarianceFlagged,
] as const;

export type PayoutReceived = EventOf<typeof PayoutReceived>;
export type PayoutValued = EventOf<typeof PayoutValued>;
export type EnergyCostBooked = EventOf<typeof EnergyCostBooked>;
export type PeriodClosed = EventOf<typeof PeriodClosed>;
export type CoinPriceFixed = EventOf<typeof CoinPriceFixed>;
export type HashValuePublished = EventOf<typeof HashValuePublished>;
export type PoolAssigned = EventOf<typeof PoolAssigned>;
export type PayoutVarianceFlagged = EventOf<typeof PayoutVarianceFlagged>;

/** The events of a facility's month (`period-<facility>-<month>` streams). */
export type PeriodEvent = PayoutReceived | PayoutValued | EnergyCostBooked | PeriodClosed;
export type RevenueEvent =
  PeriodEvent | CoinPriceFixed | HashValuePublished | PoolAssigned | PayoutVarianceFlagged;
