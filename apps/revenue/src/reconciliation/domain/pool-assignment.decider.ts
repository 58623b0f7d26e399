import { compareDecimals, sumDecimals, type PoolAssigned } from '@fleet/contracts';
import { DomainError, type Decider } from '@fleet/event-sourcing';
import type { PoolAssignmentCommand } from './pool-assignment.commands';
import {
  evolvePoolAssignment,
  initialPoolAssignmentState,
  type PoolAssignmentState,
} from './pool-assignment.state';

/**
 * A facility's pool assignments: a pool's share of a coin's hashrate may change at any time, but the
 * shares of one coin never add up to more than the whole. The same share again is a no-op.
 */
export const poolAssignmentDecider: Decider<PoolAssignmentCommand, PoolAssignmentState, PoolAssigned> = {
  initialState: initialPoolAssignmentState,
  evolve: evolvePoolAssignment,
  decide(command, state) {
    const { coin, pool, hashrateShare } = command.data;
    const ofCoin = state.shares.get(coin) ?? new Map<string, string>();
    const current = ofCoin.get(pool);
    if (current !== undefined && compareDecimals(current, hashrateShare) === 0) return [];
    const others = [...ofCoin].filter(([name]) => name !== pool).map(([, share]) => share);
    const total = sumDecimals([...others, hashrateShare]);
    if (compareDecimals(total, '1') > 0)
      throw new DomainError(
        'conflict',
        'pool-shares-exceed-hashrate',
        `the ${coin} pools of ${command.data.facilityId} would get ${total} of its hashrate; lower another pool's share first`,
        {
          coin,
          pool,
          hashrateShare,
          otherPools: Object.fromEntries([...ofCoin].filter(([name]) => name !== pool)),
        },
      );
    return [{ type: 'PoolAssigned', data: command.data }];
  },
};
