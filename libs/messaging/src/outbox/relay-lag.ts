import type { EventStore } from '@fleet/event-sourcing';

/** Up to this many pending events are counted exactly; beyond, the lag is an estimate. */
export const RELAY_LAG_COUNT_LIMIT = 10_000;

/**
 * Events committed after `checkpoint`, in feed order, up to the real head: on PostgreSQL the ones
 * readAll still holds back (an open transaction elsewhere in the cluster) count too. Positions
 * cannot simply be subtracted: on PostgreSQL the feed is ordered by transaction, not position, and
 * rolled-back appends leave gaps in the sequence. The count reads no event data and stops at
 * `limit`; past that it reports the larger of the limit and the position difference, an estimate
 * that is good enough to say "far behind".
 */
export async function countEventsAfter(
  store: EventStore,
  checkpoint: bigint,
  limit = RELAY_LAG_COUNT_LIMIT,
): Promise<number> {
  const pending = await store.countAfter(checkpoint, limit);
  if (pending < limit) return pending;
  const difference = Number((await store.headPosition()) - checkpoint);
  return Math.max(limit, difference);
}
