import { insertRows, type InlineProjection, type RecordedEvent } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { LOAD_EVENT_TYPES, nextLoadChange, type LoadEvent } from '../domain/load-change';
import {
  EnergyLoadChangeEntity,
  energyLoadChangesTable,
  type EnergyLoadChangeRow,
} from './energy-load-change.entity';

/**
 * The facility's allocated IT watts and PUE over time, a change point per event that changes them,
 * at the event's `occurredAt`: what the energy estimate integrates. Inline, in the facility's
 * append, which holds the facility's lock and version, so each facility's rows follow its stream.
 */
export const energyLoadChangesProjection: InlineProjection = {
  name: 'energy-load-changes',
  handles: LOAD_EVENT_TYPES,
  async apply(recorded: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const latest = new Map<string, EnergyLoadChangeRow | null>();
    const rows: EnergyLoadChangeRow[] = [];
    for (const event of recorded as readonly RecordedEvent<LoadEvent>[]) {
      const { facilityId } = event.data;
      if (!latest.has(facilityId)) latest.set(facilityId, await latestChange(manager, facilityId));
      const next = nextLoadChange(latest.get(facilityId) ?? null, event, event.metadata.occurredAt);
      if (!next) continue;
      const row = { facilityId, ...next };
      rows.push(row);
      latest.set(facilityId, row);
    }
    await insertRows(manager, energyLoadChangesTable, rows);
  },
};

async function latestChange(manager: EntityManager, facilityId: string): Promise<EnergyLoadChangeRow | null> {
  const row = await manager
    .getRepository(EnergyLoadChangeEntity)
    .findOne({ where: { facilityId }, order: { seq: 'DESC' } });
  return (
    row && { ...row, seq: Number(row.seq), itWatts: Number(row.itWatts), pueMilli: Number(row.pueMilli) }
  );
}
