import { findRigModel, type InventoryEvent } from '@fleet/contracts';
import type { RigPlacement } from './facility.commands';

/** Where power sees a rig, from inventory's events: only an `installed` rig can be powered. */
export type PowerRigStatus = 'received' | 'installed' | 'in_repair' | 'decommissioned';

export interface PowerRig {
  readonly id: string;
  readonly facilityId: string;
  /** Null until its `RigRegistered` arrives (each event type has its own consumer, so order varies). */
  readonly model: string | null;
  readonly status: PowerRigStatus;
  readonly rack: string | null;
  readonly slot: number | null;
  /** The rig stream's version of the last placement event applied: older ones are ignored. */
  readonly version: number;
}

/**
 * Power's view of one rig after an inventory event of its stream at `streamVersion`. The consumers
 * of the five event types run side by side, so an event may come after a later one: the model is
 * taken from the registration whenever it comes, everything else only from an event newer than
 * the one applied.
 */
export function powerRigAfter(rig: PowerRig | null, event: InventoryEvent, streamVersion: number): PowerRig {
  const model = event.type === 'RigRegistered' ? event.data.model : (rig?.model ?? null);
  if (rig && rig.version >= streamVersion) return { ...rig, model };
  const base = { id: event.data.rigId, facilityId: event.data.facilityId, model, version: streamVersion };
  switch (event.type) {
    case 'RigRegistered':
    case 'RigReturnedFromRepair':
      return { ...base, status: 'received', rack: null, slot: null };
    // Inventory following power's own events (powered on, off) leaves the rig in its slot.
    case 'RigInstalled':
    case 'RigPoweredOn':
    case 'RigPoweredOff':
    case 'RigCurtailed':
      return { ...base, status: 'installed', rack: event.data.rack, slot: event.data.slot };
    case 'RigSentToRepair':
      return { ...base, status: 'in_repair', rack: null, slot: null };
    case 'RigDecommissioned':
      return { ...base, status: 'decommissioned', rack: null, slot: null };
  }
}

/**
 * Where an installed rig of this facility sits and what it draws; null when power cannot power it
 * (not installed, another facility, or its registration, which names the model, not seen yet).
 */
export function placementOf(rig: PowerRig, facilityId: string): RigPlacement | null {
  if (rig.status !== 'installed' || rig.facilityId !== facilityId) return null;
  if (rig.rack === null || rig.slot === null || rig.model === null) return null;
  const model = findRigModel(rig.model);
  if (!model) return null;
  return { rack: rig.rack, slot: rig.slot, model: model.id, itWatts: model.powerWatts };
}
