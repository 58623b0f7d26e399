import type { EntityManager } from 'typeorm';
import { dialectOf } from '../dialect';
import { postgresValues } from './postgres-values';
import {
  columnList,
  columnsOf,
  decodeRow,
  encodeValue,
  type RowColumn,
  type RowTable,
  type SqlColumn,
} from './row-table';
import { sqliteValues } from './sqlite-values';

/*
 * Set-based statements for the hot paths of projections and handlers (a receipt registers a
 * thousand rigs per event, a bulk install racks thousands): never a statement per row. Each takes
 * its rows as a relation `v` (see `values-relation.ts`), so every statement is written once for
 * both databases.
 */

function valuesOf(manager: EntityManager) {
  return dialectOf(manager.connection) === 'postgres' ? postgresValues : sqliteValues;
}

function tuplesOf<Row>(columns: readonly RowColumn<Row>[], rows: readonly Partial<Row>[]): unknown[][] {
  return rows.map((row) => columns.map((column) => encodeValue(column.kind, row[column.field])));
}

function matchOn(columns: readonly SqlColumn[], left: string, right: string): string {
  return columns.map((column) => `${left}.${column.name} = ${right}.${column.name}`).join(' AND ');
}

/** The select list of a query of your own over `table`, read the way `decodeRow` expects. */
export function selectList<Row>(
  manager: EntityManager,
  table: RowTable<Row>,
  qualifier: string = table.name,
): string {
  const values = valuesOf(manager);
  return table.columns.map((column) => values.selected(column, qualifier)).join(', ');
}

/**
 * Runs `statement` (which reads the relation `v` with the given columns) once per relation the
 * dialect needs for these rows, and gathers what the statements return.
 */
export async function queryWithValues<Result>(
  manager: EntityManager,
  columns: readonly SqlColumn[],
  tuples: readonly (readonly unknown[])[],
  statement: string,
): Promise<Result[]> {
  const results: Result[] = [];
  for (const { withClause, parameters } of valuesOf(manager).relations(columns, tuples)) {
    const rows: unknown = await manager.query(`${withClause} ${statement}`, parameters);
    if (Array.isArray(rows)) results.push(...(rows as Result[]));
  }
  return results;
}

export async function insertRows<Row>(
  manager: EntityManager,
  table: RowTable<Row>,
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columnList(table.columns);
  await queryWithValues(
    manager,
    table.columns,
    tuplesOf(table.columns, rows),
    `INSERT INTO ${table.name} (${names}) SELECT ${names} FROM v`,
  );
}

/**
 * Sets `fields` (default: every column but the key) of each row found by its primary key. The
 * rows of one call must have distinct keys.
 */
export async function updateRows<Row>(
  manager: EntityManager,
  table: RowTable<Row>,
  rows: readonly Row[],
  fields: readonly (keyof Row)[] = table.columns
    .map((column) => column.field)
    .filter((field) => !table.primaryKey.includes(field)),
): Promise<void> {
  if (rows.length === 0 || fields.length === 0) return;
  const key = columnsOf(table, table.primaryKey);
  const changed = columnsOf(table, fields);
  const columns = [...key, ...changed];
  const assignments = changed.map((column) => `${column.name} = v.${column.name}`).join(', ');
  await queryWithValues(
    manager,
    columns,
    tuplesOf(columns, rows),
    `UPDATE ${table.name} SET ${assignments} FROM v WHERE ${matchOn(key, table.name, 'v')}`,
  );
}

/** Deletes the rows whose `by` fields equal one of `keys`. */
export async function deleteRows<Row, Field extends keyof Row>(
  manager: EntityManager,
  table: RowTable<Row>,
  by: readonly Field[],
  keys: readonly Pick<Row, Field>[],
): Promise<void> {
  if (keys.length === 0) return;
  const columns = columnsOf(table, by);
  const names = columnList(columns);
  await queryWithValues(
    manager,
    columns,
    tuplesOf(columns, keys as readonly Partial<Row>[]),
    `DELETE FROM ${table.name} WHERE (${names}) IN (SELECT ${names} FROM v)`,
  );
}

/** The rows whose `by` fields equal one of `keys` (in no particular order). */
export async function selectRows<Row, Field extends keyof Row>(
  manager: EntityManager,
  table: RowTable<Row>,
  by: readonly Field[],
  keys: readonly Pick<Row, Field>[],
): Promise<Row[]> {
  if (keys.length === 0) return [];
  const columns = columnsOf(table, by);
  const raw = await queryWithValues<Record<string, unknown>>(
    manager,
    columns,
    tuplesOf(columns, keys as readonly Partial<Row>[]),
    `SELECT ${selectList(manager, table, 't')} FROM ${table.name} t JOIN (SELECT DISTINCT ${columnList(columns)} FROM v) k ON ${matchOn(columns, 't', 'k')}`,
  );
  return raw.map((row) => decodeRow(table, row));
}
