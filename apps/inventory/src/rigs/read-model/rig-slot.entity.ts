import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/**
 * A row of `rig_slots`: an occupied rack slot. Its primary key (facility, rack, slot) is what keeps
 * two rigs out of one slot, inside the append's transaction, even under concurrent installs.
 */
export interface RigSlotRow {
  facilityId: string;
  rack: string;
  slot: number;
  rigId: string;
}

export const RigSlotEntity = new EntitySchema<RigSlotRow>({
  name: 'RigSlotEntity',
  tableName: 'rig_slots',
  columns: {
    facilityId: {
      name: 'facility_id',
      type: 'varchar',
      length: 63,
      primary: true,
      primaryKeyConstraintName: 'pk_rig_slots',
    },
    rack: { type: 'varchar', length: 32, primary: true, primaryKeyConstraintName: 'pk_rig_slots' },
    slot: { type: 'integer', primary: true, primaryKeyConstraintName: 'pk_rig_slots' },
    rigId: { name: 'rig_id', type: 'varchar', length: 36 },
  },
  indices: [{ name: 'uq_rig_slots_rig_id', columns: ['rigId'], unique: true }],
});

export const rigSlotsTable = tableOf(RigSlotEntity);
