import type { Coin, EnergyCostBasis, RigTimeFigures } from '@fleet/contracts';

/**
 * Commands on one facility's month (`period`). Each carries everything the decider needs (the
 * fixing of a payout's day, the figure booked before for an energy day); the decider looks nothing up.
 */
export interface PayoutToRecord {
  readonly pool: string;
  readonly txid: string;
  readonly coin: Coin;
  /** Base units. */
  readonly amount: bigint;
  readonly paidAt: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** The fixing of the payout's day, USD per coin, or null while there is none. */
  readonly fixingUsd: string | null;
}

export interface RecordPayouts {
  readonly type: 'RecordPayouts';
  readonly data: {
    readonly facilityId: string;
    readonly period: string;
    readonly payouts: readonly PayoutToRecord[];
  };
}

export interface FixingToApply {
  readonly coin: Coin;
  readonly day: string;
  /** USD per coin. */
  readonly fixingUsd: string;
}

/** Fixings arrived: value every payout of their coins and days that was booked in coin alone. */
export interface ValuePayouts {
  readonly type: 'ValuePayouts';
  readonly data: {
    readonly facilityId: string;
    readonly period: string;
    readonly fixings: readonly FixingToApply[];
  };
}

export interface EnergyFigure {
  readonly kwh: string;
  /** Cents. */
  readonly usd: string;
  readonly basis: EnergyCostBasis;
  readonly revision: number;
}

export interface BookEnergyCost {
  readonly type: 'BookEnergyCost';
  readonly data: EnergyFigure & {
    readonly facilityId: string;
    readonly period: string;
    readonly day: string;
    readonly sourceEventId: string;
    /** The figure of the day booked before (in this month or an earlier one), if any. */
    readonly previous: EnergyFigure | null;
  };
}

export interface ClosePeriod {
  readonly type: 'ClosePeriod';
  readonly data: {
    readonly facilityId: string;
    readonly period: string;
    readonly closedAt: string;
    /** The month's rig time as counted at the close, frozen with it. */
    readonly rigTime?: RigTimeFigures;
  };
}

export type PeriodCommand = RecordPayouts | ValuePayouts | BookEnergyCost | ClosePeriod;
