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

/** Statement texts named so far. Bounded: each name is a statement kept by every pooled connection. */
const names = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 500;

/**
 * `preparedQuery` for a read the caller runs often (a GET's statement), named after its text.
 * `text` must come from a small set (its parameters vary, never its text): past 500 distinct texts
 * a statement runs unprepared rather than fill every connection with statements.
 */
export function queryPrepared<Row>(sql: SqlExecutor, text: string, values: unknown[]): Promise<Row[]> {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMED_STATEMENTS) return sql.query<Row[]>(text, values);
    name = `fleet_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return preparedQuery<Row>(sql, name, text, values);
}
