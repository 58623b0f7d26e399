/**
 * Power arithmetic in integers. Watts are whole; PUE is kept in thousandths, so a facility load
 * (IT watts × PUE) is exact in milliwatts. The largest figure, 1 GW × 3000, stays far below 2^53.
 */
export function wattsOfKw(kw: number): number {
  return Math.round(kw * 1000);
}

export function kwOfWatts(watts: number): number {
  return watts / 1000;
}

export function pueMilliOf(pue: number): number {
  return Math.round(pue * 1000);
}

export function pueOfMilli(pueMilli: number): number {
  return pueMilli / 1000;
}

/** IT watts at the facility meter, in milliwatts: IT × PUE. */
export function facilityLoadMilliwatts(itWatts: number, pueMilli: number): number {
  return itWatts * pueMilli;
}

export function kwOfMilliwatts(milliwatts: number): number {
  return milliwatts / 1_000_000;
}

/** A schedule's `effectiveFrom`: a date is midnight UTC, an instant is itself. */
export function effectiveFromMs(effectiveFrom: string): number {
  return Date.parse(effectiveFrom.length === 10 ? `${effectiveFrom}T00:00:00Z` : effectiveFrom);
}
