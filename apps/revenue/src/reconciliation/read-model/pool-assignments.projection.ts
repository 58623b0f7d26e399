import type { PoolAssigned } from '@fleet/contracts';
import { rowProjection } from '@fleet/event-sourcing';
import {
  poolAssignmentRowIdOf,
  poolAssignmentsTable,
  type PoolAssignmentRow,
} from './pool-assignment.entity';

/** `pool_assignments`: each facility's pool shares as assigned last. */
export const PoolAssignmentsProjection = rowProjection<PoolAssignmentRow, PoolAssigned>({
  name: 'pool-assignments',
  table: poolAssignmentsTable,
  handles: ['PoolAssigned'],
  rowIdOf: ({ data }) => poolAssignmentRowIdOf(data.facilityId, data.coin, data.pool),
  evolve: (_row, { data }) => ({
    id: poolAssignmentRowIdOf(data.facilityId, data.coin, data.pool),
    facilityId: data.facilityId,
    coin: data.coin,
    pool: data.pool,
    hashrateShare: data.hashrateShare,
  }),
});
