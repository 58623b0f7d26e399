import type { EntityManager } from 'typeorm';

export type SqlDialect = 'sqlite' | 'postgres';

export function dialectOf(manager: EntityManager): SqlDialect {
  return manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * Collects the parameters of one statement and hands out the dialect's placeholder for each
 * (`?` on SQLite, `$n` on PostgreSQL).
 */
export class SqlParameters {
  readonly values: unknown[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }
}

/**
 * Rows per multi-row statement on SQLite, which caps the parameters of one statement (32,766 in
 * the bundled build); a few thousand parameters per statement is where it is fastest anyway.
 */
export const ROWS_PER_STATEMENT = 500;

export function chunksOf<T>(items: readonly T[], size: number = ROWS_PER_STATEMENT): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
