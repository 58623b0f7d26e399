import { EnergyCostBasis, KwhString, Tariff } from '@fleet/contracts';
import { z } from 'zod';
import { decimalString } from '../domain/energy-decimal';
import type { IntervalEnergy } from '../domain/energy-intervals';

/** A decimal string (kWh, USD) as answered: at most 6 decimals; USD may be negative at negative prices. */
const Decimal = z.string();

export const MeterReadingsView = z.object({
  facilityId: z.string(),
  /** Readings new or corrected by this request (the others were recorded with the same figure already). */
  recorded: z.number().int(),
  unchanged: z.number().int(),
  /** Published days whose cost this request changed: each was published again as a correction. */
  correctedDays: z.number().int(),
});
export type MeterReadingsView = z.infer<typeof MeterReadingsView>;

export const TariffView = z.object({
  facilityId: z.string(),
  tariff: Tariff,
  effectiveFrom: z.string(),
  /** Published days whose cost this tariff changed: each was published again as a correction. */
  correctedDays: z.number().int(),
});
export type TariffView = z.infer<typeof TariffView>;

export const EnergyPricesView = z.object({
  facilityId: z.string(),
  intervals: z.number().int(),
  /** Published days whose cost these prices changed: each was published again as a correction. */
  correctedDays: z.number().int(),
});
export type EnergyPricesView = z.infer<typeof EnergyPricesView>;

export const EnergyIntervalView = z.object({
  start: z.string(),
  end: z.string(),
  /** The readings' kWh in the interval; null without readings. */
  measuredKwh: KwhString.nullable(),
  /** Allocated nominal IT watts × time × PUE. */
  estimatedKwh: KwhString,
  /** `measured` where readings cover the whole interval. */
  basis: EnergyCostBasis,
  kwh: KwhString,
  pue: z.number(),
  /** Null without a tariff. */
  usd: Decimal.nullable(),
  /** Market tariff: energy in intervals without a posted price (not in `usd`). */
  unpricedKwh: KwhString,
});

export const FacilityEnergyView = z.object({
  facilityId: z.string(),
  from: z.string(),
  to: z.string(),
  interval: z.enum(['hour', 'day']),
  tariff: Tariff.nullable(),
  intervals: z.array(EnergyIntervalView),
});
export type FacilityEnergyView = z.infer<typeof FacilityEnergyView>;

export function toEnergyIntervalView(energy: IntervalEnergy): z.infer<typeof EnergyIntervalView> {
  return {
    start: new Date(energy.startMs).toISOString(),
    end: new Date(energy.endMs).toISOString(),
    measuredKwh: energy.measuredKwh && decimalString(energy.measuredKwh),
    estimatedKwh: decimalString(energy.estimatedKwh),
    basis: energy.basis,
    kwh: decimalString(energy.kwh),
    pue: energy.pueMilli / 1000,
    usd: energy.usd && decimalString(energy.usd),
    unpricedKwh: decimalString(energy.unpricedKwh),
  };
}
