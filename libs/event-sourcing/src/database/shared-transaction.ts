import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';
import type { EventStore, EventStoreSession } from '../event-store';

interface SharedTransaction {
  readonly store: EventStore;
  readonly session: EventStoreSession;
}

const shared = new AsyncLocalStorage<SharedTransaction>();

/**
 * Runs `work` in one transaction of `store` that everything inside it joins: a command run on the
 * store (`handleCommand(store, …)`) and a `readCommitted` read on its database use this session
 * instead of a transaction or a lock of their own. What `work` writes besides (an Idempotency-Key's
 * answer) commits or rolls back with the command. Not retried here: a `ConcurrencyError` rolls the
 * whole transaction back and the caller decides whether to run `work` again.
 */
export function runInSharedTransaction<T>(
  store: EventStore,
  work: (session: EventStoreSession) => Promise<T>,
): Promise<T> {
  if (shared.getStore()) throw new Error('a shared transaction is already open in this call chain');
  return store.transaction((session) => shared.run({ store, session }, () => work(session)));
}

/** The shared transaction open on this store in the current call chain, if any. */
export function sharedSessionOf(store: EventStore): EventStoreSession | undefined {
  const current = shared.getStore();
  return current?.store === store ? current.session : undefined;
}

/** The shared transaction open on this database in the current call chain, if any. */
export function sharedSessionOn(dataSource: DataSource): EventStoreSession | undefined {
  const current = shared.getStore();
  return current?.session.manager.connection === dataSource ? current.session : undefined;
}
