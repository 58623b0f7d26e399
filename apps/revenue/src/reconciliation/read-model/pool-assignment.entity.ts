import type { Coin } from '@fleet/contracts';
import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';

/** A row of `pool_assignments`: the share of a facility's hashrate of a coin at a pool. */
export interface PoolAssignmentRow {
  /** `<facilityId>/<coin>/<pool>`. */
  id: string;
  facilityId: string;
  coin: Coin;
  pool: string;
  hashrateShare: string;
}

export const PoolAssignmentEntity = new EntitySchema<PoolAssignmentRow>({
  name: 'PoolAssignmentEntity',
  tableName: 'pool_assignments',
  columns: {
    id: { type: 'varchar', length: 140, primary: true, primaryKeyConstraintName: 'pk_pool_assignments' },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    coin: { type: 'varchar', length: 8 },
    pool: { type: 'varchar', length: 64 },
    hashrateShare: { name: 'hashrate_share', type: 'varchar', length: 16 },
  },
  indices: [{ name: 'ix_pool_assignments_facility', columns: ['facilityId'] }],
});

export const poolAssignmentsTable = tableOf(PoolAssignmentEntity);

export function poolAssignmentRowIdOf(facilityId: string, coin: string, pool: string): string {
  return `${facilityId}/${coin}/${pool}`;
}
