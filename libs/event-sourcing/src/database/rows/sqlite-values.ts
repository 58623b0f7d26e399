import { chunksOf, SQLITE_MAX_PARAMETERS } from '../sql';
import type { ValuesRelation, ValuesRelationBuilder } from './values-relation';

/** WITH clauses kept for reuse: a few tables' full chunks, and their last, shorter ones. */
const CACHED_CLAUSES = 128;
const clauses = new Map<string, string>();

/**
 * `WITH v(names) AS (VALUES (?, ?), …)` for `rows` rows, built once per shape: a rebuild of a few
 * hundred thousand rows sends the same full-chunk statement again and again, and building its text
 * (and better-sqlite3 preparing it, which TypeORM caches by text) each time was a good part of
 * the insert.
 */
function withClauseOf(names: string, width: number, rows: number): string {
  const key = `${names}|${rows}`;
  let clause = clauses.get(key);
  if (clause === undefined) {
    const tuple = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    clause = `WITH v(${names}) AS (VALUES ${Array.from({ length: rows }, () => tuple).join(', ')})`;
    if (clauses.size >= CACHED_CLAUSES) clauses.delete(clauses.keys().next().value as string);
    clauses.set(key, clause);
  }
  return clause;
}

/** Every value of `rows`, row after row, in one array (what `flat()` gives, without its cost). */
function parametersOf(rows: readonly (readonly unknown[])[], width: number): unknown[] {
  const parameters = new Array<unknown>(rows.length * width);
  let index = 0;
  for (const row of rows) for (let column = 0; column < width; column++) parameters[index++] = row[column];
  return parameters;
}

/**
 * SQLite gets a multi-row VALUES list with a parameter per value, in as few statements as its
 * parameter cap allows (SQLite 3.33+ joins and updates from a CTE).
 */
export const sqliteValues: ValuesRelationBuilder = {
  relations(columns, rows): ValuesRelation[] {
    const names = columns.map((column) => column.name).join(', ');
    const width = columns.length;
    return chunksOf(rows, Math.floor(SQLITE_MAX_PARAMETERS / width)).map((chunk) => ({
      withClause: withClauseOf(names, width, chunk.length),
      parameters: parametersOf(chunk, width),
    }));
  },
  // better-sqlite3 reads INTEGER as a JS number, which loses digits past 2^53.
  selected: (column, qualifier) =>
    column.kind === 'bigint'
      ? `CAST(${qualifier}.${column.name} AS TEXT) AS ${column.name}`
      : `${qualifier}.${column.name}`,
};
