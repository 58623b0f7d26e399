import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';
import type { PowerRig, PowerRigStatus } from '../domain/power-rig';

/** A row of `power_rigs`: power's view of one rig, kept by the inventory consumers. */
export interface PowerRigRow {
  id: string;
  facilityId: string;
  model: string | null;
  status: PowerRigStatus;
  rack: string | null;
  slot: number | null;
  version: number;
}

export const PowerRigEntity = new EntitySchema<PowerRigRow>({
  name: 'PowerRigEntity',
  tableName: 'power_rigs',
  columns: {
    id: { type: 'varchar', length: 36, primary: true, primaryKeyConstraintName: 'pk_power_rigs' },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    model: { type: 'varchar', length: 64, nullable: true },
    status: { type: 'varchar', length: 16 },
    rack: { type: 'varchar', length: 32, nullable: true },
    slot: { type: 'integer', nullable: true },
    version: { type: 'integer' },
  },
  // A power-on by racks or `all` reads a facility's installed rigs rack by rack, by slot.
  indices: [{ name: 'ix_power_rigs_placement', columns: ['facilityId', 'rack', 'slot'] }],
});

export const powerRigsTable = tableOf(PowerRigEntity);

export function powerRigOf(row: PowerRigRow): PowerRig {
  return { ...row, slot: row.slot === null ? null : Number(row.slot), version: Number(row.version) };
}
