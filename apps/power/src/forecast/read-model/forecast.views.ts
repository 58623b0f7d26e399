import { z } from 'zod';
import { kwOfMilliwatts, kwOfWatts } from '../../facilities/domain/power-units';
import type { Arrival, CapacityForecast, FacilityCapacity } from '../domain/capacity-forecast';

export const ForecastPointView = z.object({
  date: z.string(),
  /** Capacity in force on that (whole) day. */
  capacityKw: z.number(),
  /** Capacity − reserve: what the facility may draw at the meter. */
  availableKw: z.number(),
  /** Allocated IT × PUE now. */
  committedKw: z.number(),
  /** Units ordered or in transit arriving by that date × nominal watts × PUE. */
  incomingKw: z.number(),
  shortfallKw: z.number(),
});

export const ArrivalView = z.object({
  orderId: z.string(),
  /** Null for units of the order not dispatched yet. */
  shipmentId: z.string().nullable(),
  model: z.string(),
  units: z.number().int(),
  /** The shipment's ETA or the order's expected delivery (today when overdue). */
  expectedArrival: z.string(),
  /** At the meter: units × nominal watts × PUE. */
  kw: z.number(),
});

export const CapacityForecastView = z.object({
  facilityId: z.string(),
  from: z.string(),
  until: z.string(),
  pue: z.number(),
  reserveKw: z.number(),
  timeline: z.array(ForecastPointView),
  /** The first date the facility cannot power what has arrived by then, and the arrivals up to it. */
  firstShortfall: z
    .object({ date: z.string(), shortfallKw: z.number(), causes: z.array(ArrivalView) })
    .nullable(),
});
export type CapacityForecastView = z.infer<typeof CapacityForecastView>;

function toArrivalView(arrival: Arrival, pueMilli: number): z.infer<typeof ArrivalView> {
  return {
    orderId: arrival.orderId,
    shipmentId: arrival.shipmentId,
    model: arrival.model,
    units: arrival.units,
    expectedArrival: arrival.date,
    kw: kwOfMilliwatts(arrival.units * arrival.unitWatts * pueMilli),
  };
}

export function toCapacityForecastView(
  facilityId: string,
  { from, until }: { from: string; until: string },
  capacity: FacilityCapacity,
  forecast: CapacityForecast,
): CapacityForecastView {
  const { firstShortfall } = forecast;
  const shortfallOn = firstShortfall && forecast.points.find((point) => point.date === firstShortfall.date);
  return {
    facilityId,
    from,
    until,
    pue: capacity.pueMilli / 1000,
    reserveKw: kwOfWatts(capacity.reserveWatts),
    timeline: forecast.points.map((point) => ({
      date: point.date,
      capacityKw: kwOfWatts(point.capacityWatts),
      availableKw: kwOfMilliwatts(point.limitMilliwatts),
      committedKw: kwOfMilliwatts(point.committedMilliwatts),
      incomingKw: kwOfMilliwatts(point.incomingMilliwatts),
      shortfallKw: kwOfMilliwatts(point.shortfallMilliwatts),
    })),
    firstShortfall:
      firstShortfall && shortfallOn
        ? {
            date: firstShortfall.date,
            shortfallKw: kwOfMilliwatts(shortfallOn.shortfallMilliwatts),
            causes: firstShortfall.causes.map((arrival) => toArrivalView(arrival, capacity.pueMilli)),
          }
        : null,
  };
}
