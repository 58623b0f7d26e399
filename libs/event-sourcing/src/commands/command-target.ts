import type { EventStore, EventStoreSession } from '../event-store';
import { sharedSessionOf } from '../database/shared-transaction';
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

/**
 * The session to run on instead of the store, when a shared transaction is open on it in this call
 * chain (an HTTP request under an Idempotency-Key): the command then commits with the key's answer.
 */
export function joinedTarget(target: CommandTarget): CommandTarget {
  return isEventStore(target) ? (sharedSessionOf(target) ?? target) : target;
}

/** Runs `work` in the target's transaction: a fresh one per attempt on a store, the caller's on a session. */
export function inCommandTransaction<T>(
  target: CommandTarget,
  maxRetries: number,
  work: (session: EventStoreSession) => Promise<T>,
): Promise<T> {
  const joined = joinedTarget(target);
  if (!isEventStore(joined)) return work(joined);
  return retryOnConflict(() => joined.transaction(work), maxRetries);
}
