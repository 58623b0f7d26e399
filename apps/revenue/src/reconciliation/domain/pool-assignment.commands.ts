import type { PoolAssigned } from '@fleet/contracts';

export interface AssignPool {
  readonly type: 'AssignPool';
  readonly data: PoolAssigned['data'];
}

export type PoolAssignmentCommand = AssignPool;
