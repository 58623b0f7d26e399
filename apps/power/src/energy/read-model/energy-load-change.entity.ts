import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/**
 * A row of `energy_load_changes`: from `at` on, until the facility's next row, its allocated IT
 * watts and PUE were these. The estimate of the energy a facility drew integrates them.
 */
export interface EnergyLoadChangeRow {
  facilityId: string;
  /** 1, 2, 3… per facility: the order of changes within one instant. */
  seq: number;
  /** ISO instant with milliseconds (`toISOString`), so text order is time order. */
  at: string;
  itWatts: number;
  pueMilli: number;
}

export const EnergyLoadChangeEntity = new EntitySchema<EnergyLoadChangeRow>({
  name: 'EnergyLoadChangeEntity',
  tableName: 'energy_load_changes',
  columns: {
    facilityId: {
      name: 'facility_id',
      type: 'varchar',
      length: 63,
      primary: true,
      primaryKeyConstraintName: 'pk_energy_load_changes',
    },
    seq: { type: 'integer', primary: true, primaryKeyConstraintName: 'pk_energy_load_changes' },
    at: { type: 'varchar', length: 24 },
    itWatts: { name: 'it_watts', type: 'integer' },
    pueMilli: { name: 'pue_milli', type: 'integer' },
  },
  indices: [{ name: 'ix_energy_load_changes_at', columns: ['facilityId', 'at'] }],
});

export const energyLoadChangesTable = tableOf(EnergyLoadChangeEntity);
