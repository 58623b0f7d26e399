import type { Dialect } from './dialect';

/**
 * Small helpers for raw SQL next to the event store. A single statement is written once with
 * TypeORM's `manager.sql` template (placeholders per driver); statements over many rows use the
 * bulk toolkit in `rows/`; `SqlParameters` builds a statement whose WHERE clause depends on input.
 */

/**
 * SQLite binds at most this many parameters per statement (SQLITE_MAX_VARIABLE_NUMBER of the
 * better-sqlite3 build): multi-row statements there go in chunks below it.
 */
export const SQLITE_MAX_PARAMETERS = 32_766;

/** Rows per multi-row statement where nothing else dictates it: a few thousand parameters. */
export const ROWS_PER_STATEMENT = 500;

export function chunksOf<T>(items: readonly T[], size: number = ROWS_PER_STATEMENT): T[][] {
  if (!(size >= 1)) throw new Error(`chunk size must be at least 1, not ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * Collects the parameters of one statement built piece by piece and hands out the dialect's
 * placeholder for each (`?` on SQLite, `$n` on PostgreSQL).
 */
export class SqlParameters {
  readonly values: unknown[] = [];

  constructor(private readonly dialect: Dialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }
}
