import type { RigDecommissioned, RigInstalled, RigSentToRepair } from '@fleet/contracts';
import {
  deleteRows,
  insertRows,
  isUniqueViolation,
  UniquenessViolationError,
  type InlineProjection,
  type RecordedEvent,
} from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { describeSlot, SlotTakenError, type SlotOccupant } from '../domain/rig.errors';
import { slotKeyOf } from '../domain/rig.state';
import { rigSlotsTable, type RigSlotRow } from './rig-slot.entity';
import { findSlotOccupants } from './rig-slots.sql';

type SlotEvent = RigInstalled | RigSentToRepair | RigDecommissioned;

/**
 * Keeps `rig_slots`, the occupied slots, in the append's transaction: an install that would put a
 * second rig in a slot aborts the whole append with a 409 naming the occupant. The table's primary
 * key is the last word when two installs race for one slot. A constraint table, not a fold: a row
 * is a claim on a slot, inserted and deleted, never updated.
 */
export const RigSlotsProjection: InlineProjection = {
  name: 'rig-slots',
  handles: ['RigInstalled', 'RigSentToRepair', 'RigDecommissioned'] satisfies SlotEvent['type'][],

  async apply(events, manager) {
    const pending = { occupying: [] as RigSlotRow[], vacating: [] as Pick<RigSlotRow, 'rigId'>[] };
    // Only one list holds rows at a time, so flushing both keeps the statements in event order.
    const flush = async () => {
      await deleteRows(manager, rigSlotsTable, ['rigId'], pending.vacating);
      await occupy(manager, pending.occupying);
      pending.occupying = [];
      pending.vacating = [];
    };

    // In event order, so a slot vacated and taken again within one append ends up taken.
    for (const event of events as readonly RecordedEvent<SlotEvent>[]) {
      if (event.type === 'RigInstalled') {
        if (pending.vacating.length > 0) await flush();
        const { rigId, facilityId, rack, slot } = event.data;
        pending.occupying.push({ facilityId, rack, slot, rigId });
      } else if (event.data.vacated) {
        if (pending.occupying.length > 0) await flush();
        pending.vacating.push({ rigId: event.data.rigId });
      }
    }
    await flush();
  },
};

async function occupy(manager: EntityManager, claims: readonly RigSlotRow[]): Promise<void> {
  if (claims.length === 0) return;
  const taken: SlotOccupant[] = await findSlotOccupants(manager, claims);
  const claimed = new Map<string, RigSlotRow>();
  for (const claim of claims) {
    const first = claimed.get(slotKeyOf(claim));
    if (first) taken.push({ ...first, serialNumber: null });
    else claimed.set(slotKeyOf(claim), claim);
  }
  if (taken.length > 0) throw new SlotTakenError(taken);
  try {
    await insertRows(manager, rigSlotsTable, claims);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another transaction took one of the slots between our check and our insert.
    const [only] = claims;
    throw claims.length === 1
      ? new UniquenessViolationError(`${describeSlot(only)} was taken by a concurrent install`, {
          slots: [only],
        })
      : new UniquenessViolationError('one of the slots was taken by a concurrent install');
  }
}
