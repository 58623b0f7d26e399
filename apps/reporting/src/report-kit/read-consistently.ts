import { dialectOf, readCommitted } from '@fleet/event-sourcing';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs several reads against one state of the database, so that a rebuild's swap is never seen
 * half-way: on PostgreSQL one repeatable-read transaction, on SQLite under the database lock
 * writers take (SQLite's one connection cannot hold two transactions at once).
 */
export function readConsistently<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (dialectOf(dataSource) === 'postgres') return dataSource.transaction('REPEATABLE READ', work);
  return readCommitted(dataSource, work);
}
