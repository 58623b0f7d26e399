import { DomainError } from '@fleet/event-sourcing';
import type { SlotKey, SlotOccupant } from './rig-slots.sql';

export function describeSlot(slot: SlotKey): string {
  return `slot ${slot.rack}/${slot.slot} in facility ${slot.facilityId}`;
}

const NAMED_IN_MESSAGE = 5;

/** One rig per slot: the 409 names each slot asked for and the rig that holds it. */
export class SlotTakenError extends DomainError {
  constructor(readonly occupants: readonly SlotOccupant[]) {
    const sentences = occupants
      .slice(0, NAMED_IN_MESSAGE)
      .map(
        (occupant) => `${describeSlot(occupant)} is taken by rig ${occupant.serialNumber ?? occupant.rigId}`,
      );
    const more = occupants.length - NAMED_IN_MESSAGE;
    super('conflict', 'slot-taken', sentences.join('; ') + (more > 0 ? `; and ${more} more slots` : ''), {
      slots: occupants.map(({ facilityId, rack, slot, rigId, serialNumber }) => ({
        facilityId,
        rack,
        slot,
        occupant: { rigId, serialNumber },
      })),
    });
  }
}
