import {
  isUniqueViolation,
  UniquenessViolationError,
  type InlineProjection,
  type RecordedEvent,
} from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { inventoryEventOf } from './inventory-event';
import {
  findSlotOccupants,
  occupySlots,
  slotKeyOf,
  vacateSlotsOf,
  type Placement,
  type SlotOccupant,
} from './rig-slots.sql';
import { describeSlot, SlotTakenError } from './slot-taken.error';

/**
 * Keeps `rig_slots`, the occupied slots, in the append's transaction: an install that would put a
 * second rig in a slot aborts the whole append with a 409 naming the occupant. The table's primary
 * key is the last word when two installs race for one slot.
 */
@Injectable()
export class RigSlotsProjection implements InlineProjection {
  readonly name = 'rig-slots';
  readonly handles = ['RigInstalled', 'RigSentToRepair', 'RigDecommissioned'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    let placements: Placement[] = [];
    let vacating: string[] = [];
    const flushPlacements = async () => {
      if (placements.length > 0) await this.occupy(manager, placements);
      placements = [];
    };
    const flushVacating = async () => {
      if (vacating.length > 0) await vacateSlotsOf(manager, vacating);
      vacating = [];
    };

    // In event order, so a slot vacated and taken again within one append ends up taken.
    for (const recorded of events) {
      const event = inventoryEventOf(recorded);
      if (event?.type === 'RigInstalled') {
        await flushVacating();
        const { rigId, facilityId, rack, slot } = event.data;
        placements.push({ rigId, facilityId, rack, slot });
      } else if (
        (event?.type === 'RigSentToRepair' || event?.type === 'RigDecommissioned') &&
        event.data.vacated
      ) {
        await flushPlacements();
        vacating.push(event.data.rigId);
      }
    }
    await flushPlacements();
    await flushVacating();
  }

  private async occupy(manager: EntityManager, placements: readonly Placement[]): Promise<void> {
    const taken: SlotOccupant[] = await findSlotOccupants(manager, placements);
    const claimed = new Map<string, Placement>();
    for (const placement of placements) {
      const key = slotKeyOf(placement);
      const first = claimed.get(key);
      if (first) taken.push({ ...first, serialNumber: null });
      else claimed.set(key, placement);
    }
    if (taken.length > 0) throw new SlotTakenError(taken);
    try {
      await occupySlots(manager, placements);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another transaction took one of the slots between our check and our insert.
      const [only] = placements;
      throw placements.length === 1
        ? new UniquenessViolationError(`${describeSlot(only)} was taken by a concurrent install`, {
            slots: [only],
          })
        : new UniquenessViolationError('one of the slots was taken by a concurrent install');
    }
  }
}
