import { EntitySchema } from 'typeorm';
import type { RigTimeMeasure } from '../domain/rig-time-change';

/**
 * A row of `rig_time_sums`: the sum of the rig-time changes (see `RigTimeChange`) of one facility,
 * UTC day, measure and model, kept by revenue's consumers of power's and inventory's events. A few
 * rows per facility and day whatever the number of rigs: a statement reads the facility's rows, not
 * one per rig.
 */
export interface RigTimeSumRow {
  facilityId: string;
  day: string;
  measure: RigTimeMeasure;
  model: string;
  netRigs: number;
  /** Milliseconds; a bigint column, which PostgreSQL's driver returns as a string. */
  offsetMs: number | string;
}

const PK = 'pk_rig_time_sums';

export const RigTimeSumEntity = new EntitySchema<RigTimeSumRow>({
  name: 'RigTimeSumEntity',
  tableName: 'rig_time_sums',
  columns: {
    facilityId: {
      name: 'facility_id',
      type: 'varchar',
      length: 63,
      primary: true,
      primaryKeyConstraintName: PK,
    },
    day: { type: 'varchar', length: 10, primary: true, primaryKeyConstraintName: PK },
    measure: { type: 'varchar', length: 16, primary: true, primaryKeyConstraintName: PK },
    model: { type: 'varchar', length: 64, primary: true, primaryKeyConstraintName: PK },
    netRigs: { name: 'net_rigs', type: 'integer' },
    offsetMs: { name: 'offset_ms', type: 'bigint' },
  },
});
