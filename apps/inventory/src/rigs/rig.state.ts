import type { InventoryEvent, RigStatus } from '@fleet/contracts';

export interface RigSlot {
  readonly rack: string;
  readonly slot: number;
}

/** Before `RigRegistered`: the stream does not exist. */
export interface UnregisteredRig {
  readonly status: 'unregistered';
}

export interface Rig {
  readonly status: RigStatus;
  readonly rigId: string;
  readonly serialNumber: string;
  readonly model: string;
  readonly facilityId: string;
  /** Set while the rig sits in a rack slot (installed, and later online, offline, curtailed). */
  readonly location?: RigSlot;
}

export type RigState = UnregisteredRig | Rig;

export const initialRigState = (): RigState => ({ status: 'unregistered' });

export function evolveRig(state: RigState, event: InventoryEvent): RigState {
  if (event.type === 'RigRegistered') {
    const { rigId, serialNumber, model, facilityId } = event.data;
    return { status: 'received', rigId, serialNumber, model, facilityId };
  }
  // Only a registration can start a stream; anything else on an empty one is ignored, not invented.
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'RigInstalled':
      return { ...state, status: 'installed', location: { rack: event.data.rack, slot: event.data.slot } };
    case 'RigSentToRepair':
      return { ...withoutLocation(state), status: 'in_repair' };
    case 'RigReturnedFromRepair':
      return { ...withoutLocation(state), status: 'received' };
    case 'RigDecommissioned':
      return { ...withoutLocation(state), status: 'decommissioned' };
  }
}

function withoutLocation(rig: Rig): Rig {
  const { location: _vacated, ...rest } = rig;
  return rest;
}

/** The facility of a registered rig; every command that appends leaves the rig registered. */
export function facilityOf(state: RigState): string {
  if (state.status === 'unregistered') throw new Error('an unregistered rig has no facility');
  return state.facilityId;
}
