import type { Dialect } from './dialect';

/**
 * Small helpers for the raw SQL that services write next to the event store (projections, inboxes,
 * checkpoints) so that one statement serves both databases.
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

/**
 * For a statement written once with PostgreSQL's `$n` placeholders: on SQLite, rewrites them to `?`
 * with the parameters in order of appearance (a `$n` may appear several times).
 */
export function bindParameters(
  dialect: Dialect,
  sql: string,
  parameters: readonly unknown[],
): [sql: string, parameters: unknown[]] {
  if (dialect === 'postgres') return [sql, [...parameters]];
  const ordered: unknown[] = [];
  const rewritten = sql.replace(/\$(\d+)/g, (_, index: string) => {
    ordered.push(parameters[Number(index) - 1]);
    return '?';
  });
  return [rewritten, ordered];
}
