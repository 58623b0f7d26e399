import type { Coin, PoolAssigned } from '@fleet/contracts';

/** A facility's pools: the share of each coin's hashrate at each pool. */
export interface PoolAssignmentState {
  readonly shares: ReadonlyMap<Coin, ReadonlyMap<string, string>>;
}

export const initialPoolAssignmentState = (): PoolAssignmentState => ({ shares: new Map() });

export function evolvePoolAssignment(state: PoolAssignmentState, event: PoolAssigned): PoolAssignmentState {
  const { coin, pool, hashrateShare } = event.data;
  const shares = new Map(state.shares);
  shares.set(coin, new Map(shares.get(coin) ?? []).set(pool, hashrateShare));
  return { shares };
}
