import type { EventStore, EventStoreSession } from '../event-store';
import { retryOnConflict } from './retry-on-conflict';

/**
 * Where a command runs. The store: in a transaction of its own, retried on a conflict with another
 * writer. A session: inside the caller's transaction (a saga step committing with its inbox row),
 * never retried here; on a conflict the caller's transaction rolls back and the message is
 * redelivered.
 */
export type CommandTarget = EventStore | EventStoreSession;

export function isEventStore(target: CommandTarget): target is EventStore {
  return 'transaction' in target;
}

/** Runs `work` in the target's transaction: a fresh one per attempt on a store, the caller's on a session. */
export function inCommandTransaction<T>(
  target: CommandTarget,
  maxRetries: number,
  work: (session: EventStoreSession) => Promise<T>,
): Promise<T> {
  if (!isEventStore(target)) return work(target);
  return retryOnConflict(() => target.transaction(work), maxRetries);
}
