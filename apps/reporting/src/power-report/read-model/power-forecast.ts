import { findRigModel, forecastCapacity, type Arrival, type CapacityForecast } from '@fleet/contracts';
import type { ProcurementOrderDoc } from '../../procurement-report/read-model/procurement-order.fold';
import type { PowerFacilityDoc } from './power-facility.fold';

const DAY_MS = 86_400_000;

/** A forecast looks a year ahead, as power's `GET /facilities/:id/capacity-forecast` does by default. */
const FORECAST_DAYS = 365;

/** Power's forecast never reaches further: procurement plans months ahead, not decades. */
const MAX_FORECAST_DAYS = 10 * 366;

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A step's `effectiveFrom` (a date is its UTC midnight) in milliseconds. */
function effectiveFromMs(effectiveFrom: string): number {
  return Date.parse(effectiveFrom.length === 10 ? `${effectiveFrom}T00:00:00Z` : effectiveFrom);
}

/**
 * What is coming to a facility, from the procurement report's orders, the way power's forecast
 * follows procurement's events: each order's units neither cancelled nor dispatched by its expected
 * delivery (none without one), each shipment's units neither received nor damaged by its ETA.
 */
export function arrivalsOf(orders: readonly { key: string; data: ProcurementOrderDoc }[]): Arrival[] {
  const unitWatts = (model: string): number => findRigModel(model)?.powerWatts ?? 0;
  const arrivals: Arrival[] = [];
  for (const { key: orderId, data: order } of orders) {
    const dispatched = new Map<string, number>();
    for (const [shipmentId, shipment] of Object.entries(order.shipments))
      for (const [model, units] of Object.entries(shipment.lines)) {
        dispatched.set(model, (dispatched.get(model) ?? 0) + units);
        const inTransit = units - (shipment.received[model] ?? 0) - (shipment.damaged[model] ?? 0);
        if (inTransit > 0)
          arrivals.push({
            date: shipment.eta,
            orderId,
            shipmentId,
            model,
            units: inTransit,
            unitWatts: unitWatts(model),
          });
      }
    if (order.expectedDelivery === null) continue;
    for (const [model, { ordered, cancelled }] of Object.entries(order.models)) {
      const pending = ordered - cancelled - (dispatched.get(model) ?? 0);
      if (pending > 0)
        arrivals.push({
          date: order.expectedDelivery,
          orderId,
          shipmentId: null,
          model,
          units: pending,
          unitWatts: unitWatts(model),
        });
    }
  }
  return arrivals;
}

/**
 * Power's capacity forecast (the same pure function) from the facility's power contract and load
 * now and what is coming, from `now`'s date for a year or to `until` when that is later; null
 * without any capacity scheduled (nothing to forecast against).
 */
export function capacityForecastOf(
  facility: PowerFacilityDoc,
  arrivals: readonly Arrival[],
  now: Date,
  until: Date,
): CapacityForecast | null {
  if (facility.schedule.length === 0) return null;
  const today = dateOf(now.getTime());
  const last = Math.min(
    Math.max(now.getTime() + FORECAST_DAYS * DAY_MS, until.getTime()),
    now.getTime() + MAX_FORECAST_DAYS * DAY_MS,
  );
  const schedule = facility.schedule
    .map((step) => ({
      effectiveFromMs: effectiveFromMs(step.effectiveFrom),
      capacityWatts: step.capacityWatts,
    }))
    .sort((a, b) => a.effectiveFromMs - b.effectiveFromMs);
  return forecastCapacity(
    {
      schedule,
      reserveWatts: facility.reserveWatts,
      pueMilli: facility.pueMilli,
      allocatedItWatts: facility.itWatts,
    },
    arrivals,
    today,
    dateOf(last),
  );
}

/** The forecast's shortfall in force on `date` (its last point on or before it), in milliwatts. */
export function shortfallMilliwattsOn(forecast: CapacityForecast, date: string): number | null {
  let shortfall: number | null = null;
  for (const point of forecast.points) {
    if (point.date > date) break;
    shortfall = point.shortfallMilliwatts;
  }
  return shortfall;
}
