/**
 * The capacity forecast, pure (power serves it, reporting's power report folds the same inputs and
 * shows its shortfall ahead): what the facility can draw (capacity in force − reserve), what is
 * committed (allocated IT × PUE), what is coming (units ordered or in transit by expected arrival
 * × nominal watts × PUE) and the shortfall, on each date something changes. Loads in milliwatts,
 * integers throughout (12,000 rigs × 2,100 W × 1,050 is 2.6 × 10^10, far below 2^53).
 */

/** Units expected on a date: an order's units not yet dispatched, or a shipment's not yet received. */
export interface Arrival {
  /** `YYYY-MM-DD`; an arrival already overdue counts from the forecast's first date. */
  readonly date: string;
  readonly orderId: string;
  /** Null for the units of an order not yet dispatched. */
  readonly shipmentId: string | null;
  readonly model: string;
  readonly units: number;
  /** The model's nominal IT watts a unit. */
  readonly unitWatts: number;
}

export interface FacilityCapacity {
  readonly schedule: readonly { readonly effectiveFromMs: number; readonly capacityWatts: number }[];
  readonly reserveWatts: number;
  readonly pueMilli: number;
  readonly allocatedItWatts: number;
}

export interface ForecastPoint {
  readonly date: string;
  readonly capacityWatts: number;
  /** Capacity in force − reserve, in milliwatts at the meter. */
  readonly limitMilliwatts: number;
  readonly committedMilliwatts: number;
  /** Every arrival up to this date. */
  readonly incomingMilliwatts: number;
  readonly shortfallMilliwatts: number;
}

export interface CapacityForecast {
  readonly points: readonly ForecastPoint[];
  /** The first date the facility cannot power what has arrived by then, and the arrivals up to it. */
  readonly firstShortfall: { readonly date: string; readonly causes: readonly Arrival[] } | null;
}

const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function capacityAt(capacity: FacilityCapacity, atMs: number): number {
  let watts = 0;
  for (const step of capacity.schedule) {
    if (step.effectiveFromMs > atMs) break;
    watts = step.capacityWatts;
  }
  return watts;
}

/** The forecast from `today` to `until` (both `YYYY-MM-DD`, included). */
export function forecastCapacity(
  capacity: FacilityCapacity,
  arrivals: readonly Arrival[],
  today: string,
  until: string,
): CapacityForecast {
  const due = arrivals
    .filter((arrival) => arrival.units > 0 && arrival.date <= until)
    .map((arrival) => ({ ...arrival, date: arrival.date < today ? today : arrival.date }))
    .sort((a, b) => a.date.localeCompare(b.date));
  // A step during a day changes that day (the lower capacity counts) and the next (the new one).
  const steps = capacity.schedule
    .flatMap((step) =>
      step.effectiveFromMs % 86_400_000 === 0
        ? [dateOf(step.effectiveFromMs)]
        : [dateOf(step.effectiveFromMs), dateOf(step.effectiveFromMs + 86_400_000)],
    )
    .filter((date) => date > today && date <= until);
  const dates = [...new Set([today, ...steps, ...due.map((arrival) => arrival.date)])].sort();
  const committed = capacity.allocatedItWatts * capacity.pueMilli;
  const points: ForecastPoint[] = [];
  let firstShortfall: CapacityForecast['firstShortfall'] = null;
  let incoming = 0;
  let next = 0;
  for (const date of dates) {
    while (next < due.length && due[next].date <= date) {
      incoming += due[next].units * due[next].unitWatts * capacity.pueMilli;
      next++;
    }
    // A step taking effect during a day counts from the next: the whole day must fit.
    const capacityWatts = Math.min(
      capacityAt(capacity, dayMs(date)),
      capacityAt(capacity, dayMs(date) + 86_399_999),
    );
    const limit = Math.max(0, capacityWatts - capacity.reserveWatts) * 1000;
    const shortfall = Math.max(0, committed + incoming - limit);
    points.push({
      date,
      capacityWatts,
      limitMilliwatts: limit,
      committedMilliwatts: committed,
      incomingMilliwatts: incoming,
      shortfallMilliwatts: shortfall,
    });
    if (shortfall > 0 && firstShortfall === null) firstShortfall = { date, causes: due.slice(0, next) };
  }
  return { points, firstShortfall };
}
