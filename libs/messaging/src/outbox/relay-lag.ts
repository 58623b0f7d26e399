import type { EventStore } from '@fleet/event-sourcing';

/** Up to this many pending events are counted exactly; beyond, the lag is an estimate. */
export const RELAY_LAG_COUNT_LIMIT = 1000;

/**
 * Events readable after `checkpoint`, in feed order (on PostgreSQL, events of transactions still
 * open in the cluster are not readable yet and so not counted yet). Positions cannot simply be subtracted: on
 * PostgreSQL the feed is ordered by transaction, not position, and rolled-back appends leave gaps
 * in the sequence. The count reads at most `limit` events; past that it reports the larger of the
 * limit and the position difference, an estimate that is good enough to say "far behind".
 */
export async function countEventsAfter(
  store: EventStore,
  checkpoint: bigint,
  limit = RELAY_LAG_COUNT_LIMIT,
): Promise<number> {
  const pending = await store.readAll({ after: checkpoint, limit });
  if (pending.length < limit) return pending.length;
  const difference = Number((await store.headPosition()) - checkpoint);
  return Math.max(limit, difference);
}
