import type { EntityManager } from 'typeorm';
import { dialectOf } from './dialect';

/** How to put one index (or constraint) back exactly as it was. */
interface DroppedIndex {
  readonly drop: string;
  readonly recreate: string;
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/**
 * SQLite: every index with its own `CREATE INDEX` text. The indexes SQLite makes for a PRIMARY KEY
 * or UNIQUE constraint have none (`sql IS NULL`) and cannot be dropped: they stay.
 */
async function sqliteIndexesOf(manager: EntityManager, tables: readonly string[]): Promise<DroppedIndex[]> {
  const rows = (await manager.query(
    `SELECT name, sql FROM sqlite_master
      WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))
      ORDER BY name`,
    [JSON.stringify(tables)],
  )) as { name: string; sql: string }[];
  return rows.map(({ name, sql }) => ({ drop: `DROP INDEX ${quoted(name)}`, recreate: sql }));
}

/**
 * PostgreSQL: the primary key and unique constraints (re-added as constraints, so their names and
 * whatever refers to them stay the same) and every other index, of the tables in the current schema.
 */
async function postgresIndexesOf(manager: EntityManager, tables: readonly string[]): Promise<DroppedIndex[]> {
  const constraints = (await manager.query(
    `SELECT t.relname AS "table", c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.contype IN ('p', 'u') AND t.relnamespace = current_schema()::regnamespace
        AND t.relname = ANY($1)
      ORDER BY t.relname, c.conname`,
    [tables],
  )) as { table: string; name: string; definition: string }[];
  const indexes = (await manager.query(
    `SELECT x.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY x.relname`,
    [tables],
  )) as { name: string; definition: string }[];
  return [
    ...constraints.map(({ table, name, definition }) => ({
      drop: `ALTER TABLE ${quoted(table)} DROP CONSTRAINT ${quoted(name)}`,
      recreate: `ALTER TABLE ${quoted(table)} ADD CONSTRAINT ${quoted(name)} ${definition}`,
    })),
    ...indexes.map(({ name, definition }) => ({ drop: `DROP INDEX ${quoted(name)}`, recreate: definition })),
  ];
}

/**
 * Runs `work` (a bulk load of `tables`) on `manager`'s transaction with the tables' indexes dropped,
 * and creates them again after, each from its own definition as the database reports it: building an
 * index once over sorted keys is far cheaper than maintaining it row by row, the more so for random
 * text keys. Must run inside a transaction: if `work` or a re-creation fails (a duplicate key where a
 * unique index comes back), the rollback puts the indexes back too, so the tables are never left
 * without them. Meanwhile the transaction holds the tables exclusively (DROP INDEX locks them).
 * On SQLite, the indexes behind a PRIMARY KEY or UNIQUE column constraint cannot be dropped and stay.
 */
export async function withIndexesDeferred<T>(
  manager: EntityManager,
  tables: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  if (!manager.queryRunner?.isTransactionActive)
    throw new Error('withIndexesDeferred must run inside a transaction');
  const dropped =
    dialectOf(manager.connection) === 'postgres'
      ? await postgresIndexesOf(manager, tables)
      : await sqliteIndexesOf(manager, tables);
  for (const { drop } of dropped) await manager.query(drop);
  const result = await work();
  for (const { recreate } of dropped) await manager.query(recreate);
  return result;
}
