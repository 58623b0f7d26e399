import { Decimal } from 'decimal.js';

/**
 * Exact decimal arithmetic for kWh and USD: 60 significant digits, so a year of milliwatt-milliseconds
 * or a meter's 15 digits times a price never rounds before we do.
 */
export const EnergyDecimal = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
export type EnergyDecimal = InstanceType<typeof EnergyDecimal>;

/** Milliwatt-milliseconds in a kWh: 10^6 mW per kW × 3.6 × 10^6 ms per hour. */
const MILLIWATT_MS_PER_KWH = new EnergyDecimal('3.6e12');

/** The energy of a constant load in milliwatts over `ms` milliseconds, in kWh. */
export function kwhOf(milliwatts: number, ms: number): EnergyDecimal {
  return new EnergyDecimal(milliwatts).mul(ms).div(MILLIWATT_MS_PER_KWH);
}

/** As answered and published: at most 6 decimals (the contracts' kWh and USD strings), half-even. */
export function decimalString(value: EnergyDecimal): string {
  return value.toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN).toFixed();
}
