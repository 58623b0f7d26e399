import type { Dialect } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';

/**
 * SQLite's page cache during a rebuild, in KiB: the default (2 MiB) is far smaller than the tables
 * being written and the indexes built over them at the end, which then read and write back pages
 * over and over. 256 MiB holds them for a few hundred thousand lines.
 */
export const REBUILD_SQLITE_CACHE_KIB = 262_144;

/**
 * Runs `work` with SQLite's page cache enlarged, and puts the connection's own size back after,
 * whatever `work` does. PostgreSQL's buffers are the server's: there the transaction gets more
 * memory for its sorts and index builds instead (`SET LOCAL`, gone with the transaction).
 */
export async function withRebuildCache<T>(
  manager: EntityManager,
  dialect: Dialect,
  work: () => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') {
    await manager.query(`SET LOCAL work_mem = '64MB'`);
    await manager.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    return work();
  }
  const [row] = (await manager.query('PRAGMA cache_size')) as { cache_size: number }[];
  await manager.query(`PRAGMA cache_size = -${REBUILD_SQLITE_CACHE_KIB}`);
  try {
    return await work();
  } finally {
    await manager.query(`PRAGMA cache_size = ${Number(row.cache_size)}`);
  }
}
