import type { PowerFacilityDoc } from './power-facility.fold';
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
  /** Not published by power yet: null until its curtailment events exist. */
  readonly curtailedKw: null;
  /** Not published by power yet: null until its capacity forecast events exist. */
  readonly forecastShortfallKw: null;
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
  readonly curtailedKw: null;
  readonly forecastShortfallKw: null;
  readonly series: PowerBucket[];
}

export interface PowerReportWindow {
  readonly from: Date;
  readonly to: Date;
  readonly interval: PowerInterval;
  readonly now: Date;
}

const kw = (watts: number): number => Math.round(watts) / 1000;

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
      curtailedKw: null,
      forecastShortfallKw: null,
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
    curtailedKw: null,
    forecastShortfallKw: null,
    series,
  };
}
