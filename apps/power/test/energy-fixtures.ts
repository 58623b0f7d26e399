import type { EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE } from '@fleet/service-kit';
import { EnergyLoadChangeEntity } from '../src/energy/read-model/energy-load-change.entity';
import type { PowerApp } from './power-app';
import { installedRigs, seedPowerRigs } from './power-fixtures';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** A quarter-hour reading of meter `main` starting `startMs`. */
export function quarterReading(startMs: number, kwh: string, meterId = 'main') {
  return { meterId, intervalStart: new Date(startMs).toISOString(), intervalMinutes: 15, kwh };
}

/** The 96 quarter-hour readings of a UTC day, each of `kwh`. */
export function dayOfReadings(dayStartMs: number, kwh: string) {
  return Array.from({ length: 96 }, (_, index) => quarterReading(dayStartMs + index * 15 * 60_000, kwh));
}

/**
 * A facility of 3 MW at PUE 1.05 with `rigs` Nanos (2.1 kW) powered on: 2.205 kW at the meter a
 * rig. Answers when the load changed (the power-on's `occurredAt`), which the estimate starts from.
 */
export async function facilityRunning(
  power: PowerApp,
  facilityId: string,
  rigs: number,
  tag: number,
): Promise<number> {
  const capacity = await power.call('PUT', `/facilities/${facilityId}/capacity`, {
    as: 'admin',
    body: { schedule: [{ effectiveFrom: '2026-01-01', capacityKw: 3000 }], pue: 1.05 },
  });
  if (capacity.statusCode !== 200) throw new Error(`capacity: ${capacity.statusCode} ${capacity.body}`);
  if (rigs === 0) return Date.now();
  await seedPowerRigs(power.app.get<EventStore>(EVENT_STORE), installedRigs(facilityId, rigs, { tag }));
  const on = await power.call('POST', `/facilities/${facilityId}/power-on`, { body: { all: true } });
  if (on.statusCode !== 200) throw new Error(`power-on: ${on.statusCode} ${on.body}`);
  const store = power.app.get<EventStore>(EVENT_STORE);
  const change = await store.transaction((session) =>
    session.manager
      .getRepository(EnergyLoadChangeEntity)
      .findOneOrFail({ where: { facilityId }, order: { seq: 'DESC' } }),
  );
  return Date.parse(change.at);
}
