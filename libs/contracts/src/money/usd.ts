import { Decimal } from 'decimal.js';
import { COIN_DECIMALS, type Coin } from './coin';

/**
 * Exact decimal arithmetic for USD and other quantities (kWh). 60 significant digits: a coin amount of 10^15 base units times
 * a fixing with 8 decimals stays exact until it is rounded to the cent (decimal.js's default of 20
 * would round before we do).
 */
const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });

/** A USD amount as stored and answered: a decimal string with exactly two decimals ("-12.50"). */
export type UsdString = string;

/**
 * The USD value of a coin amount at a fixing (USD per whole coin), rounded half-even to the cent:
 * the rounding of one journal entry. Sums are sums of these rounded values, never re-rounded.
 */
export function valueInUsd(coin: Coin, baseUnits: bigint, fixingUsd: string): UsdString {
  return new Exact(baseUnits.toString())
    .div(new Exact(10).pow(COIN_DECIMALS[coin]))
    .mul(new Exact(fixingUsd))
    .toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN)
    .toFixed(2);
}

/** A USD amount given with more than cents (an energy bill's "1234.5678") rounded half-even to the cent. */
export function roundUsd(amount: string): UsdString {
  return new Exact(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
}

export function sumUsd(amounts: Iterable<string>): UsdString {
  let total = new Exact(0);
  for (const amount of amounts) total = total.plus(amount);
  return total.toFixed(2);
}

export function negateUsd(amount: string): UsdString {
  return new Exact(amount).negated().toFixed(2);
}

/** Compares two decimal strings exactly ("1.50" equals "1.5"): fixings, hash values. */
export function compareDecimals(a: string, b: string): number {
  return new Exact(a).comparedTo(b);
}

/** Sums decimal quantities that are not money (kWh) exactly, keeping every decimal given. */
export function sumDecimals(amounts: Iterable<string>): string {
  let total = new Exact(0);
  for (const amount of amounts) total = total.plus(amount);
  return total.toFixed();
}

/** `numerator / denominator` rounded half-even to `places` decimals (USD per kWh); null when dividing by zero. */
export function ratioOf(numerator: string, denominator: string, places: number): string | null {
  const divisor = new Exact(denominator);
  if (divisor.isZero()) return null;
  return new Exact(numerator).div(divisor).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN).toFixed(places);
}
