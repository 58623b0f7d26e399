import { columnsOf, decodeRow, queryWithValues } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import type { SlotOccupant } from '../domain/rig.errors';
import type { SlotKey } from '../domain/rig.state';
import { rigSlotsTable } from './rig-slot.entity';

const SLOT_KEY_COLUMNS = columnsOf(rigSlotsTable, ['facilityId', 'rack', 'slot']);

/** The occupants of the slots in `v`, with their serials for the refusal's message. */
const OCCUPANTS_OF_V =
  'SELECT s.facility_id, s.rack, s.slot, s.rig_id, r.serial_number FROM rig_slots s ' +
  'JOIN v ON s.facility_id = v.facility_id AND s.rack = v.rack AND s.slot = v.slot ' +
  'LEFT JOIN rigs r ON r.id = s.rig_id';

/** Who sits in any of these slots now. */
export async function findSlotOccupants(
  manager: EntityManager,
  slots: readonly SlotKey[],
): Promise<SlotOccupant[]> {
  if (slots.length === 0) return [];
  const found = await queryWithValues<Record<string, unknown>>(
    manager,
    SLOT_KEY_COLUMNS,
    slots.map(({ facilityId, rack, slot }) => [facilityId, rack, slot]),
    OCCUPANTS_OF_V,
  );
  return found.map((raw) => ({
    ...decodeRow(rigSlotsTable, raw),
    serialNumber: typeof raw['serial_number'] === 'string' ? raw['serial_number'] : null,
  }));
}
