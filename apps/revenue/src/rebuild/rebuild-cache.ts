import type { Dialect, EventStore } from '@fleet/event-sourcing';

/**
 * SQLite's page cache during a rebuild, in KiB: the default (2 MiB) is far smaller than the
 * indexes of `journal_lines` and `payouts`, whose random keys then make nearly every insert read
 * and write back pages. 256 MiB holds them for a few hundred thousand lines.
 */
export const REBUILD_SQLITE_CACHE_KIB = 262_144;

/**
 * Runs `work` with SQLite's page cache enlarged, and puts the connection's own size back after,
 * whatever `work` does. PostgreSQL's buffers are the server's: nothing to change there.
 */
export async function withRebuildCache<T>(
  store: EventStore,
  dialect: Dialect,
  work: () => Promise<T>,
): Promise<T> {
  if (dialect !== 'sqlite') return work();
  const before = await store.transaction(async ({ manager }) => {
    const [row] = (await manager.query('PRAGMA cache_size')) as { cache_size: number }[];
    await manager.query(`PRAGMA cache_size = -${REBUILD_SQLITE_CACHE_KIB}`);
    return row.cache_size;
  });
  try {
    return await work();
  } finally {
    await store.transaction(({ manager }) => manager.query(`PRAGMA cache_size = ${Number(before)}`));
  }
}
