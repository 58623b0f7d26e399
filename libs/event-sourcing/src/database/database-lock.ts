import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { dialectOf } from './dialect';
import { sharedSessionOn } from './shared-transaction';

/** A FIFO async mutex: one holder at a time, waiters served in arrival order. */
class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  async runExclusive<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}

const locks = new WeakMap<DataSource, AsyncMutex>();
/** The locks the current async call chain holds, to refuse re-entry instead of deadlocking on it. */
const held = new AsyncLocalStorage<ReadonlySet<AsyncMutex>>();

/**
 * TypeORM gives SQLite a single connection (and a single query runner) for the whole process, so
 * two interleaved transactions would silently become savepoints of one another, and a read while a
 * transaction is open would see its uncommitted rows. On SQLite this runs `work` only when no other
 * holder of the same DataSource's lock is running; on PostgreSQL (a pool, MVCC) it runs `work`
 * directly.
 *
 * The event store takes this lock for every one of its operations. Code that touches the database
 * outside the store on SQLite (an idempotency table, a query endpoint that must not see
 * uncommitted rows) takes it too. Calling it again from inside `work` is a programming error and
 * throws: inside a store transaction, use its session.
 */
export async function withDatabaseLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dialectOf(dataSource) !== 'sqlite') return work();
  let mutex = locks.get(dataSource);
  if (!mutex) {
    mutex = new AsyncMutex();
    locks.set(dataSource, mutex);
  }
  const holding = held.getStore();
  if (holding?.has(mutex)) {
    throw new Error(
      'the SQLite database is already locked by this call chain (an event store transaction?): ' +
        'inside a transaction use its session instead of the store or the DataSource',
    );
  }
  const lock = mutex;
  return lock.runExclusive(() => held.run(new Set([...(holding ?? []), lock]), work));
}

/**
 * A query-side read outside any transaction (a GET on a projection table): on SQLite it waits for a
 * writer's transaction to end, so it never sees uncommitted rows; on PostgreSQL it just runs.
 * Inside a shared transaction (`runInSharedTransaction`) it reads in that transaction.
 */
export function readCommitted<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const session = sharedSessionOn(dataSource);
  if (session) return work(session.manager);
  return withDatabaseLock(dataSource, () => work(dataSource.manager));
}
