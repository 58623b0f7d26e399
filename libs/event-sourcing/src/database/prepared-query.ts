import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../store/event-store-dialect';

/** What `preparedQuery` needs of pg: a pooled client or the pool itself. */
interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a named (prepared) statement on the PostgreSQL connection `sql` stands for: a transaction's
 * client, or the pool. PostgreSQL then parses it once per connection instead of on every call,
 * which is most of its cost for a small statement, and the call skips TypeORM's query runner
 * (checking a connection out, logging hooks, broadcasting). TypeORM's `query` cannot name a
 * statement, so this reaches for pg through TypeORM's public driver and query-runner properties.
 * Anything else (SQLite, whose statements TypeORM already caches; a query runner not connected
 * yet) runs through `sql.query` as usual.
 */
export async function preparedQuery<Row>(
  sql: SqlExecutor,
  name: string,
  text: string,
  values: unknown[],
): Promise<Row[]> {
  type Owner = { driver?: unknown; options?: { type?: unknown } };
  const target = sql as Owner & { queryRunner?: { databaseConnection?: unknown }; connection?: Owner };
  // An EntityManager names its DataSource `connection`; a DataSource is its own.
  const dataSource = target.connection ?? target;
  if (dataSource.options?.type !== 'postgres') return sql.query<Row[]>(text, values);
  const client = target.queryRunner?.databaseConnection as PgQueryable | undefined;
  const pool = (dataSource.driver as { master?: PgQueryable } | undefined)?.master;
  const queryable = client ?? (target.queryRunner === undefined ? pool : undefined);
  if (!queryable) return sql.query<Row[]>(text, values);
  return (await queryable.query({ name, text, values })).rows as Row[];
}

/** What `queryPrepared` needs of better-sqlite3. */
interface SqliteStatement {
  readonly reader: boolean;
  all(...values: unknown[]): unknown[];
  run(...values: unknown[]): unknown;
  raw(toggle: boolean): SqliteStatement;
  columns(): { readonly name: string }[];
}
interface SqliteDatabase {
  prepare(text: string): SqliteStatement;
}

/** A prepared statement, and for a read the names of the columns it answers (in their order). */
interface SqliteReadyStatement {
  readonly statement: SqliteStatement;
  readonly columns: readonly string[] | undefined;
}

/** Each SQLite connection's statements, by text (bounded like the PostgreSQL names below). */
const sqliteStatements = new WeakMap<SqliteDatabase, Map<string, SqliteReadyStatement>>();

function prepareSqlite(database: SqliteDatabase, text: string): SqliteReadyStatement {
  const statement = database.prepare(text);
  if (!statement.reader) return { statement, columns: undefined };
  // Rows as arrays: better-sqlite3 builds each row object through V8's C++ API, one call per
  // column, which cost about as much as SQLite's own work on a page of 50 rows; the same object
  // built here in JavaScript costs a third of that.
  return { statement: statement.raw(true), columns: statement.columns().map((column) => column.name) };
}

/**
 * SQLite: the statement straight on better-sqlite3's connection (TypeORM gives SQLite one for the
 * whole process, transactions included), prepared once. TypeORM's query runner, which caches the
 * statement too, spends as long again as SQLite on a small read around it (query logging and
 * broadcasting, result wrapping).
 */
function sqliteQuery<Row>(database: SqliteDatabase, text: string, values: readonly unknown[]): Row[] {
  let statements = sqliteStatements.get(database);
  if (!statements) {
    statements = new Map();
    sqliteStatements.set(database, statements);
  }
  let ready = statements.get(text);
  if (!ready) {
    ready = prepareSqlite(database, text);
    if (statements.size < MAX_NAMED_STATEMENTS) statements.set(text, ready);
  }
  // better-sqlite3 binds no booleans (TypeORM converts them the same way).
  const bound = values.map((value) => (typeof value === 'boolean' ? Number(value) : value));
  const { statement, columns } = ready;
  if (!columns) {
    statement.run(...bound);
    return [];
  }
  return (statement.all(...bound) as unknown[][]).map((values) => rowOf(columns, values) as Row);
}

/** A row as better-sqlite3 would answer it: by column name, a later column of the same name winning. */
function rowOf(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let index = 0; index < columns.length; index++) row[columns[index]] = values[index];
  return row;
}

/** Statement texts named so far. Bounded: each name is a statement kept by every pooled connection. */
const names = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 500;

/**
 * A read the caller runs often (a GET's statement), prepared once per connection: on PostgreSQL a
 * named statement (see `preparedQuery`), named after its text; on SQLite a statement of
 * better-sqlite3's kept by text. `text` must come from a small set (its parameters vary, never its
 * text): past 500 distinct texts a statement runs unprepared rather than fill every connection
 * with statements. Answers the rows, as TypeORM's `query` does for a SELECT.
 */
export async function queryPrepared<Row>(sql: SqlExecutor, text: string, values: unknown[]): Promise<Row[]> {
  const sqlite = sqliteConnectionOf(sql);
  if (sqlite) return sqliteQuery<Row>(sqlite, text, values);
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMED_STATEMENTS) return sql.query<Row[]>(text, values);
    name = `fleet_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return preparedQuery<Row>(sql, name, text, values);
}

/** better-sqlite3's connection behind an EntityManager or DataSource of TypeORM, if it has one open. */
function sqliteConnectionOf(sql: SqlExecutor): SqliteDatabase | undefined {
  type Owner = { driver?: { databaseConnection?: unknown }; options?: { type?: unknown } };
  const target = sql as Owner & { connection?: Owner };
  const dataSource = target.connection ?? target;
  if (dataSource.options?.type !== 'better-sqlite3') return undefined;
  const connection = dataSource.driver?.databaseConnection as Partial<SqliteDatabase> | undefined;
  return typeof connection?.prepare === 'function' ? (connection as SqliteDatabase) : undefined;
}
