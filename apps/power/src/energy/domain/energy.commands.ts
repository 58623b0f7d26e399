import type { EnergyCostBasis, MeterReading, PriceInterval, Tariff } from '@fleet/contracts';

/**
 * Commands carry everything the decider needs: a reading comes with the one recorded before for
 * its meter and interval (from the read model, in the command's transaction), a day's cost with
 * the event of its latest figure.
 */
export interface RecordedReading {
  readonly kwh: string;
  readonly intervalMinutes: number;
}

export interface RecordMeterReadings {
  readonly type: 'RecordMeterReadings';
  readonly data: {
    readonly facilityId: string;
    readonly readings: readonly (MeterReading & { readonly recorded: RecordedReading | null })[];
  };
}

export interface SetTariff {
  readonly type: 'SetTariff';
  /** `effectiveFrom`: an ISO instant. */
  readonly data: { readonly facilityId: string; readonly tariff: Tariff; readonly effectiveFrom: string };
}

export interface PostEnergyPrices {
  readonly type: 'PostEnergyPrices';
  readonly data: { readonly facilityId: string; readonly intervals: readonly PriceInterval[] };
}

/** A day's energy and cost as computed now from the readings, the load and the tariff. */
export interface DayFigure {
  readonly day: string;
  readonly kwh: string;
  readonly usd: string;
  readonly basis: EnergyCostBasis;
  /** The event of the day's latest published figure, when it has one. */
  readonly latestEventId: string | null;
}

export interface AccrueEnergyCost {
  readonly type: 'AccrueEnergyCost';
  readonly data: { readonly facilityId: string; readonly days: readonly DayFigure[] };
}

export type EnergyCommand = RecordMeterReadings | SetTariff | PostEnergyPrices | AccrueEnergyCost;
