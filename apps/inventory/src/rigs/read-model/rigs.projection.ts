import { INVENTORY_EVENTS, type InventoryEvent, type RigRegistered } from '@fleet/contracts';
import { rowProjection, type RecordedEvent } from '@fleet/event-sourcing';
import { facilityPowerVersionAfter, standingAfter } from '../domain/rig.state';
import { rigsTable, type RigRow } from './rig.entity';

function registeredRow(event: RecordedEvent<RigRegistered>): RigRow {
  const { rigId, serialNumber, model, facilityId, macAddress } = event.data;
  return {
    id: rigId,
    serialNumber,
    model,
    facilityId,
    status: 'received',
    rack: null,
    slot: null,
    macAddress: macAddress ?? null,
    version: event.streamVersion,
    facilityPowerVersion: null,
    registeredAt: event.metadata.occurredAt,
    updatedAt: event.metadata.occurredAt,
  };
}

/**
 * `rigs`, one row per rig stream, in the append's transaction: a receipt's thousand registrations
 * become one insert, a bulk install's thousands of installs one update. Status and slot follow
 * `standingAfter`, as the decider's state does.
 */
export const RigsProjection = rowProjection<RigRow, InventoryEvent>({
  name: 'rigs',
  table: rigsTable,
  handles: INVENTORY_EVENTS.map((definition) => definition.type),
  rowIdOf: (event) => event.data.rigId,
  createdBy: ['RigRegistered'],
  evolve: (row, event) => {
    const before = event.type === 'RigRegistered' ? registeredRow(event) : row;
    // Every stream starts with its registration, which writes the row; without one there is nothing to change.
    if (!before) return null;
    const { status, location } = standingAfter(event);
    return {
      ...before,
      status,
      rack: location?.rack ?? null,
      slot: location?.slot ?? null,
      facilityPowerVersion:
        facilityPowerVersionAfter(event, before.facilityPowerVersion ?? undefined) ?? null,
      version: event.streamVersion,
      updatedAt: event.metadata.occurredAt,
    };
  },
});
