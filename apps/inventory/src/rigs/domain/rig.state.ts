import type { InventoryEvent, RigStatus } from '@fleet/contracts';

export interface RigSlot {
  readonly rack: string;
  readonly slot: number;
}

/** A slot of one facility: the same rack and slot in another facility is another slot. */
export interface SlotKey extends RigSlot {
  readonly facilityId: string;
}

export function slotKeyOf(slot: SlotKey): string {
  return `${slot.facilityId}\u0000${slot.rack}\u0000${slot.slot}`;
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
  /** The facility power stream's version of the last power event the rig followed. */
  readonly facilityPowerVersion?: number;
}

export type RigState = UnregisteredRig | Rig;

export const initialRigState = (): RigState => ({ status: 'unregistered' });

/** Where a rig stands after one of its events; `location` is null while it has no slot. */
export interface RigStanding {
  readonly status: RigStatus;
  readonly location: RigSlot | null;
}

/**
 * The status and slot each event leaves a rig in. The decider's state and the `rigs` row both
 * follow it, so the two cannot drift apart; a new event (power's) must say here what it does.
 */
export function standingAfter(event: InventoryEvent): RigStanding {
  switch (event.type) {
    case 'RigRegistered':
      return { status: 'received', location: null };
    case 'RigInstalled':
      return { status: 'installed', location: { rack: event.data.rack, slot: event.data.slot } };
    case 'RigSentToRepair':
      return { status: 'in_repair', location: null };
    case 'RigReturnedFromRepair':
      return { status: 'received', location: null };
    case 'RigDecommissioned':
      return { status: 'decommissioned', location: null };
    case 'RigPoweredOn':
      return { status: 'online', location: { rack: event.data.rack, slot: event.data.slot } };
    case 'RigPoweredOff':
      return { status: 'installed', location: { rack: event.data.rack, slot: event.data.slot } };
    case 'RigCurtailed':
      return { status: 'curtailed', location: { rack: event.data.rack, slot: event.data.slot } };
  }
}

/** The power version a rig is at after the event: power's events set it, the others keep it. */
export function facilityPowerVersionAfter(
  event: InventoryEvent,
  before: number | undefined,
): number | undefined {
  return event.type === 'RigPoweredOn' || event.type === 'RigPoweredOff' || event.type === 'RigCurtailed'
    ? event.data.facilityPowerVersion
    : before;
}

export function evolveRig(state: RigState, event: InventoryEvent): RigState {
  const { status, location } = standingAfter(event);
  if (event.type === 'RigRegistered') {
    const { rigId, serialNumber, model, facilityId } = event.data;
    return { status, rigId, serialNumber, model, facilityId };
  }
  // Only a registration can start a stream; anything else on an empty one is ignored, not invented.
  if (state.status === 'unregistered') return state;
  const { location: _previous, facilityPowerVersion: before, ...rig } = state;
  const facilityPowerVersion = facilityPowerVersionAfter(event, before);
  return {
    ...rig,
    status,
    ...(location ? { location } : {}),
    ...(facilityPowerVersion === undefined ? {} : { facilityPowerVersion }),
  };
}

/** The facility of a registered rig; every command that appends leaves the rig registered. */
export function facilityOf(state: RigState): string {
  if (state.status === 'unregistered') throw new Error('an unregistered rig has no facility');
  return state.facilityId;
}
