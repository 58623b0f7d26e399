import type { PowerEvent } from '@fleet/contracts';
import { insertRows, type InlineProjection, type RecordedEvent } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import {
  EnergyLoadChangeEntity,
  energyLoadChangesTable,
  type EnergyLoadChangeRow,
} from './energy-load-change.entity';

const HANDLED = ['FacilityCapacityScheduled', 'PowerAllocated', 'PowerReleased'] as const;
type LoadEvent = Extract<PowerEvent, { type: (typeof HANDLED)[number] }>;

/**
 * The facility's allocated IT watts and PUE over time, a change point per event that changes them,
 * at the event's `occurredAt`: what the energy estimate integrates. Inline, in the facility's
 * append, which holds the facility's lock and version, so each facility's rows follow its stream.
 */
export const energyLoadChangesProjection: InlineProjection = {
  name: 'energy-load-changes',
  handles: HANDLED,
  async apply(recorded: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const latest = new Map<string, EnergyLoadChangeRow | null>();
    const rows: EnergyLoadChangeRow[] = [];
    for (const event of recorded as readonly RecordedEvent<LoadEvent>[]) {
      const { facilityId } = event.data;
      if (!latest.has(facilityId)) latest.set(facilityId, await latestChange(manager, facilityId));
      const before = latest.get(facilityId) ?? null;
      const itWatts = (before?.itWatts ?? 0) + wattsChangedBy(event);
      const pueMilli =
        event.type === 'FacilityCapacityScheduled' ? event.data.pueMilli : (before?.pueMilli ?? 1000);
      if (before && before.itWatts === itWatts && before.pueMilli === pueMilli) continue;
      const row = {
        facilityId,
        seq: (before?.seq ?? 0) + 1,
        // A request's time is taken before it waits for the facility's lock: keep the points in order.
        at: maxIso(new Date(event.metadata.occurredAt).toISOString(), before?.at),
        itWatts,
        pueMilli,
      };
      rows.push(row);
      latest.set(facilityId, row);
    }
    await insertRows(manager, energyLoadChangesTable, rows);
  },
};

function maxIso(at: string, previous: string | undefined): string {
  return previous !== undefined && previous > at ? previous : at;
}

function wattsChangedBy(event: RecordedEvent<LoadEvent>): number {
  switch (event.type) {
    case 'PowerAllocated':
      return event.data.rigs.reduce((sum, rig) => sum + rig.itWatts, 0);
    case 'PowerReleased':
      return -event.data.rigs.reduce((sum, rig) => sum + rig.itWatts, 0);
    case 'FacilityCapacityScheduled':
      return 0;
  }
}

async function latestChange(manager: EntityManager, facilityId: string): Promise<EnergyLoadChangeRow | null> {
  const row = await manager
    .getRepository(EnergyLoadChangeEntity)
    .findOne({ where: { facilityId }, order: { seq: 'DESC' } });
  return (
    row && { ...row, seq: Number(row.seq), itWatts: Number(row.itWatts), pueMilli: Number(row.pueMilli) }
  );
}
