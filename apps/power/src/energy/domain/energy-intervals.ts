import type { EnergyCostBasis, Tariff } from '@fleet/contracts';
import { EnergyDecimal, kwhOf } from './energy-decimal';

/** The facility's allocated IT load and PUE from `atMs` until the next change point. */
export interface LoadChange {
  readonly atMs: number;
  readonly itWatts: number;
  readonly pueMilli: number;
}

export interface Reading {
  readonly meterId: string;
  readonly startMs: number;
  readonly minutes: number;
  readonly kwh: string;
}

/** A tariff from `sinceMs` until the next one. */
export interface DatedTariff {
  readonly sinceMs: number;
  readonly tariff: Tariff;
}

export interface Price {
  readonly startMs: number;
  readonly minutes: number;
  readonly usdPerMwh: string;
}

/** Energy spread evenly over `[startMs, endMs)`: a reading, or a stretch of constant estimated load. */
interface Piece {
  readonly startMs: number;
  readonly endMs: number;
  readonly kwh: EnergyDecimal;
}

/** One interval of `GET …/energy` and of a day's accrual, exact. */
export interface IntervalEnergy {
  readonly startMs: number;
  readonly endMs: number;
  /** The readings' kWh within the interval; null when there are none. */
  readonly measuredKwh: EnergyDecimal | null;
  /** Whether readings cover the whole interval (every meter read in it covers all of it). */
  readonly measuredComplete: boolean;
  readonly estimatedKwh: EnergyDecimal;
  readonly basis: EnergyCostBasis;
  readonly kwh: EnergyDecimal;
  /** PUE in thousandths in force at the interval's start (the first one known, before it; 1000 without any). */
  readonly pueMilli: number;
  /** Null without any tariff. Under the market tariff, energy without a posted price costs nothing here: see `unpricedKwh`. */
  readonly usd: EnergyDecimal | null;
  readonly unpricedKwh: EnergyDecimal;
}

const MINUTE_MS = 60_000;

/** The estimate as pieces of constant load: allocated IT watts × PUE over time. */
function estimatedPieces(changes: readonly LoadChange[], startMs: number, endMs: number): Piece[] {
  const pieces: Piece[] = [];
  for (const [index, change] of changes.entries()) {
    const from = Math.max(change.atMs, startMs);
    const to = Math.min(changes[index + 1]?.atMs ?? endMs, endMs);
    if (to <= from || change.itWatts === 0) continue;
    pieces.push({ startMs: from, endMs: to, kwh: kwhOf(change.itWatts * change.pueMilli, to - from) });
  }
  return pieces;
}

/** Whether each meter read in the interval has readings over all of it. */
function coversAll(readings: readonly Reading[], startMs: number, endMs: number): boolean {
  const byMeter = new Map<string, Reading[]>();
  for (const reading of readings)
    byMeter.set(reading.meterId, [...(byMeter.get(reading.meterId) ?? []), reading]);
  for (const meterReadings of byMeter.values()) {
    let reached = startMs;
    for (const reading of [...meterReadings].sort((a, b) => a.startMs - b.startMs)) {
      if (reading.startMs > reached) return false;
      reached = Math.max(reached, reading.startMs + reading.minutes * MINUTE_MS);
    }
    if (reached < endMs) return false;
  }
  return byMeter.size > 0;
}

/** Pieces cut where a tariff changes, each part with its share of the energy (spread evenly). */
function cutAt(pieces: readonly Piece[], cuts: readonly number[]): Piece[] {
  const parts: Piece[] = [];
  for (const piece of pieces) {
    const inside = cuts.filter((cut) => cut > piece.startMs && cut < piece.endMs);
    const bounds = [piece.startMs, ...inside, piece.endMs];
    const length = piece.endMs - piece.startMs;
    for (let index = 0; index + 1 < bounds.length; index++)
      parts.push({
        startMs: bounds[index],
        endMs: bounds[index + 1],
        kwh: piece.kwh.mul(bounds[index + 1] - bounds[index]).div(length),
      });
  }
  return parts;
}

/** The tariff in force at `atMs`; before the first, the first (energy is never left unpriced for want of one set early). */
export function tariffAt(tariffs: readonly DatedTariff[], atMs: number): Tariff | null {
  let inForce: Tariff | null = tariffs[0]?.tariff ?? null;
  for (const dated of tariffs) {
    if (dated.sinceMs > atMs) break;
    inForce = dated.tariff;
  }
  return inForce;
}

/**
 * The cost of the pieces, each under the tariff in force when it ran: a fixed price per kWh, or
 * the market price of each interval it overlaps (energy without a price is unpriced).
 */
function costOf(
  pieces: readonly Piece[],
  kwh: EnergyDecimal,
  tariffs: readonly DatedTariff[],
  prices: readonly Price[],
): { usd: EnergyDecimal | null; unpricedKwh: EnergyDecimal } {
  const none = new EnergyDecimal(0);
  if (tariffs.length === 0) return { usd: null, unpricedKwh: kwh };
  let usd = none;
  let priced = none;
  const cuts = tariffs.map((dated) => dated.sinceMs);
  for (const piece of cutAt(pieces, cuts)) {
    const tariff = tariffAt(tariffs, piece.startMs) ?? tariffs[0].tariff;
    if (tariff.type === 'fixed') {
      priced = priced.plus(piece.kwh);
      usd = usd.plus(piece.kwh.mul(tariff.usdPerKwh));
      continue;
    }
    const length = piece.endMs - piece.startMs;
    for (const price of prices) {
      const from = Math.max(piece.startMs, price.startMs);
      const to = Math.min(piece.endMs, price.startMs + price.minutes * MINUTE_MS);
      if (to <= from) continue;
      const share = piece.kwh.mul(to - from).div(length);
      priced = priced.plus(share);
      usd = usd.plus(share.mul(price.usdPerMwh).div(1000));
    }
  }
  return { usd, unpricedKwh: EnergyDecimal.max(kwh.minus(priced), none) };
}

/**
 * The energy of `[startMs, endMs)`: the readings that start in it (measured), the allocated load
 * × PUE over it (estimated), the measured figure where readings cover it all, and its cost under
 * the tariffs in force as it ran (`tariffs` in time order). `changes` are in time order and include the last change before `startMs`; readings
 * and prices may extend beyond the interval (only what lies in it counts).
 */
export function energyOfInterval(
  startMs: number,
  endMs: number,
  changes: readonly LoadChange[],
  allReadings: readonly Reading[],
  tariffs: readonly DatedTariff[],
  prices: readonly Price[],
): IntervalEnergy {
  const readings = allReadings.filter((reading) => reading.startMs >= startMs && reading.startMs < endMs);
  const estimated = estimatedPieces(changes, startMs, endMs);
  const estimatedKwh = estimated.reduce((sum, piece) => sum.plus(piece.kwh), new EnergyDecimal(0));
  const measuredKwh =
    readings.length === 0
      ? null
      : readings.reduce((sum, reading) => sum.plus(reading.kwh), new EnergyDecimal(0));
  const measuredComplete = coversAll(readings, startMs, endMs);
  const basis: EnergyCostBasis = measuredKwh !== null && measuredComplete ? 'measured' : 'estimated';
  const pieces =
    basis === 'measured'
      ? readings.map((reading) => ({
          startMs: reading.startMs,
          endMs: reading.startMs + reading.minutes * MINUTE_MS,
          kwh: new EnergyDecimal(reading.kwh),
        }))
      : estimated;
  const kwh = basis === 'measured' && measuredKwh !== null ? measuredKwh : estimatedKwh;
  const inForce = changes.filter((change) => change.atMs <= startMs).at(-1);
  return {
    startMs,
    endMs,
    measuredKwh,
    measuredComplete,
    estimatedKwh,
    basis,
    kwh,
    pueMilli: inForce?.pueMilli ?? changes[0]?.pueMilli ?? 1000,
    ...costOf(pieces, kwh, tariffs, prices),
  };
}
