import { randomUUID } from 'node:crypto';
import { INVENTORY_EVENTS, type EventEnvelope, type InventoryEvent } from '@fleet/contracts';
import { insertRows, type EventStore } from '@fleet/event-sourcing';
import { powerRigsTable, type PowerRigRow } from '../src/facilities/read-model/power-rig.entity';

export const NANO = 'asicminer-8-nano';
export const NANO_WATTS = 2100;

/** Rig n's id: `00000000-0000-4000-8000-<facility tag><n>`, readable in failures. */
export function rigIdOf(n: number, tag = 0): string {
  return `00000000-0000-4000-8000-${String(tag).padStart(4, '0')}${String(n).padStart(8, '0')}`;
}

/** A row of an installed rig: it has a rack and a slot. */
export type InstalledRigRow = PowerRigRow & { rack: string; slot: number };

/** `count` installed rigs, `perRack` to a rack (`R000`, `R001`, …), slots from 1 in each. */
export function installedRigs(
  facilityId: string,
  count: number,
  options: { perRack?: number; model?: string; tag?: number; first?: number } = {},
): InstalledRigRow[] {
  const perRack = options.perRack ?? 20;
  return Array.from({ length: count }, (_, index) => {
    const n = (options.first ?? 0) + index;
    return {
      id: rigIdOf(n + 1, options.tag),
      facilityId,
      model: options.model ?? NANO,
      status: 'installed',
      rack: `R${String(Math.floor(n / perRack)).padStart(3, '0')}`,
      slot: (n % perRack) + 1,
      version: 2,
    };
  });
}

/** Writes rigs into power's view as the inventory consumers would leave them (thousands at once). */
export function seedPowerRigs(store: EventStore, rows: readonly PowerRigRow[]): Promise<void> {
  return store.transaction((session) => insertRows(session.manager, powerRigsTable, rows));
}

/** An inventory event of a rig's stream as inventory's relay publishes it. */
export function inventoryEnvelope(
  event: InventoryEvent,
  streamVersion: number,
): EventEnvelope<InventoryEvent['data']> {
  const definition = INVENTORY_EVENTS.find((candidate) => candidate.type === event.type);
  return {
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: definition?.version ?? 1,
    streamId: `rig-${event.data.rigId}`,
    streamVersion,
    position: String(streamVersion),
    occurredAt: new Date().toISOString(),
    facilityId: event.data.facilityId,
    actor: 'operations:test',
    correlationId: `corr-${randomUUID()}`,
    causationId: null,
    data: event.data,
  };
}
