import { chunksOf, SQLITE_MAX_PARAMETERS } from '../sql';
import type { ValuesRelation, ValuesRelationBuilder } from './values-relation';

/**
 * SQLite gets a multi-row VALUES list with a parameter per value, in as few statements as its
 * parameter cap allows (SQLite 3.33+ joins and updates from a CTE).
 */
export const sqliteValues: ValuesRelationBuilder = {
  relations(columns, rows): ValuesRelation[] {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const names = columns.map((column) => column.name).join(', ');
    return chunksOf(rows, Math.floor(SQLITE_MAX_PARAMETERS / columns.length)).map((chunk) => ({
      withClause: `WITH v(${names}) AS (VALUES ${chunk.map(() => tuple).join(', ')})`,
      parameters: chunk.flat(),
    }));
  },
  // better-sqlite3 reads INTEGER as a JS number, which loses digits past 2^53.
  selected: (column, qualifier) =>
    column.kind === 'bigint'
      ? `CAST(${qualifier}.${column.name} AS TEXT) AS ${column.name}`
      : `${qualifier}.${column.name}`,
};
