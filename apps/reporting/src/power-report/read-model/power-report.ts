import type { CapacityForecast } from '@fleet/contracts';
import type { PowerCurtailmentDoc } from './power-curtailment.fold';
import type { PowerFacilityDoc } from './power-facility.fold';
import { shortfallMilliwattsOn } from './power-forecast';
import type { PowerLoadHourDoc } from './power-load-hour.fold';

export type PowerInterval = 'hour' | 'day';

export interface PowerBucket {
  readonly start: string;
  /** Capacity in force at the bucket's start, kW at the meter; null before any schedule step. */
  readonly capacityKw: number | null;
  /** Allocated load at the meter (IT × PUE) at the bucket's end, and its peak within the bucket. */
  readonly loadKw: number;
  readonly peakLoadKw: number;
  /** Peak load against capacity in force less reserve, percent with one decimal; null without capacity. */
  readonly utilisationPercent: number | null;
  /** The load the active curtailments kept off at the bucket's end, at the meter (IT × PUE). */
  readonly curtailedKw: number;
  /**
   * The capacity forecast's shortfall on the bucket's day (today's for a bucket begun before it),
   * at the meter; null for a bucket already past, or without any capacity scheduled.
   */
  readonly forecastShortfallKw: number | null;
}

export interface FacilityPowerReport {
  readonly facilityId: string;
  readonly capacityKw: number | null;
  readonly reserveKw: number;
  readonly pue: number;
  readonly loadKw: number;
  readonly itKw: number;
  readonly rigsOn: number;
  readonly utilisationPercent: number | null;
  /** The load the active curtailments keep off now, at the meter (IT × PUE). */
  readonly curtailedKw: number;
  /**
   * The capacity forecast's shortfall ahead, as power's forecast has it: on the first date the
   * facility cannot power what will have arrived by then (0 when no such date within the forecast;
   * null without any capacity scheduled), and that date.
   */
  readonly forecastShortfallKw: number | null;
  readonly forecastShortfallDate: string | null;
  readonly series: PowerBucket[];
}

/** What the report shows besides the load: curtailments and the capacity forecast. */
export interface PowerOutlook {
  readonly curtailment: PowerCurtailmentDoc | undefined;
  readonly forecast: CapacityForecast | null;
}

export interface PowerReportWindow {
  readonly from: Date;
  readonly to: Date;
  readonly interval: PowerInterval;
  readonly now: Date;
}

const kw = (watts: number): number => Math.round(watts) / 1000;
const kwOfMilliwatts = (milliwatts: number): number => Math.round(milliwatts / 1000) / 1000;
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The IT watts the curtailments kept off just before `endMs`. */
function curtailedWattsBefore(curtailment: PowerCurtailmentDoc | undefined, endMs: number): number {
  let watts = 0;
  for (const change of curtailment?.changes ?? []) {
    if (Date.parse(change.at) >= endMs) break;
    watts = change.itWatts;
  }
  return watts;
}

/** The forecast's shortfall in a bucket from `startMs` to `endMs`, or null (see `PowerBucket`). */
function forecastShortfallKwIn(
  forecast: CapacityForecast | null,
  startMs: number,
  endMs: number,
  now: Date,
): number | null {
  const today = dateOf(now.getTime());
  if (forecast === null || endMs <= Date.parse(`${today}T00:00:00Z`)) return null;
  const day = dateOf(startMs) < today ? today : dateOf(startMs);
  const shortfall = shortfallMilliwattsOn(forecast, day);
  return shortfall === null ? null : kwOfMilliwatts(shortfall);
}

/** Capacity in force at `at`: the last step whose `effectiveFrom` has passed (a date is its UTC midnight). */
export function capacityWattsAt(facility: PowerFacilityDoc, at: Date): number | null {
  let inForce: number | null = null;
  let since = -Infinity;
  for (const step of facility.schedule) {
    const from = Date.parse(
      step.effectiveFrom.length === 10 ? `${step.effectiveFrom}T00:00:00Z` : step.effectiveFrom,
    );
    if (from <= at.getTime() && from >= since) {
      inForce = step.capacityWatts;
      since = from;
    }
  }
  return inForce;
}

function utilisation(loadWatts: number, capacityWatts: number | null, reserveWatts: number): number | null {
  const usable = capacityWatts === null ? 0 : capacityWatts - reserveWatts;
  if (usable <= 0) return null;
  return Math.round((loadWatts / usable) * 1000) / 10;
}

/** One facility's power figures now, and per interval in the window (load carried over quiet hours). */
export function facilityPowerReportOf(
  facilityId: string,
  facility: PowerFacilityDoc,
  hours: readonly PowerLoadHourDoc[],
  window: PowerReportWindow,
  outlook: PowerOutlook,
): FacilityPowerReport {
  const pue = facility.pueMilli / 1000;
  const meterWatts = (itWatts: number): number => (itWatts * facility.pueMilli) / 1000;
  const capacityNow = capacityWattsAt(facility, window.now);
  const sorted = [...hours].sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0));
  const stepMs = window.interval === 'hour' ? 3_600_000 : 86_400_000;
  const series: PowerBucket[] = [];
  let index = 0;
  let itWatts = 0;
  for (let start = window.from.getTime(); start < window.to.getTime(); start += stepMs) {
    const end = Math.min(start + stepMs, window.to.getTime());
    while (index < sorted.length && Date.parse(sorted[index]?.hour ?? '') < start)
      itWatts += sorted[index++]?.netWatts ?? 0;
    let peak = itWatts;
    while (index < sorted.length && Date.parse(sorted[index]?.hour ?? '') < end) {
      const hour = sorted[index++];
      if (!hour) break;
      peak = Math.max(peak, itWatts + hour.peakAboveStartWatts);
      itWatts += hour.netWatts;
    }
    const capacity = capacityWattsAt(facility, new Date(start));
    series.push({
      start: new Date(start).toISOString(),
      capacityKw: capacity === null ? null : kw(capacity),
      loadKw: kw(meterWatts(itWatts)),
      peakLoadKw: kw(meterWatts(peak)),
      utilisationPercent: utilisation(meterWatts(peak), capacity, facility.reserveWatts),
      curtailedKw: kw(meterWatts(curtailedWattsBefore(outlook.curtailment, end))),
      forecastShortfallKw: forecastShortfallKwIn(outlook.forecast, start, end, window.now),
    });
  }
  return {
    facilityId,
    capacityKw: capacityNow === null ? null : kw(capacityNow),
    reserveKw: kw(facility.reserveWatts),
    pue,
    itKw: kw(facility.itWatts),
    loadKw: kw(meterWatts(facility.itWatts)),
    rigsOn: facility.rigsOn,
    utilisationPercent: utilisation(meterWatts(facility.itWatts), capacityNow, facility.reserveWatts),
    curtailedKw: kw(meterWatts(outlook.curtailment?.itWatts ?? 0)),
    forecastShortfallKw: forecastShortfallKwOf(outlook.forecast),
    forecastShortfallDate: outlook.forecast?.firstShortfall?.date ?? null,
    series,
  };
}

function forecastShortfallKwOf(forecast: CapacityForecast | null): number | null {
  if (forecast === null) return null;
  const first = forecast.firstShortfall;
  if (first === null) return 0;
  return kwOfMilliwatts(shortfallMilliwattsOn(forecast, first.date) ?? 0);
}
