import type { SqlColumn } from './row-table';

/**
 * Many rows as a relation `v` that one statement can join, insert from or update from:
 * `WITH v(a, b) AS (…) <statement using v>`. Each dialect builds it its own way; the statements
 * around it (`bulk-rows.ts`) are written once.
 */
export interface ValuesRelation {
  /** `WITH v(a, b) AS (…)`. */
  readonly withClause: string;
  readonly parameters: unknown[];
}

export interface ValuesRelationBuilder {
  /** One relation per statement: a dialect with a parameter cap splits the rows. */
  relations(columns: readonly SqlColumn[], rows: readonly (readonly unknown[])[]): ValuesRelation[];
  /** A column in a select list, read so that its value survives the driver (bigints exactly). */
  selected(column: SqlColumn, qualifier: string): string;
}
