import type { Database as SqliteDatabase } from 'better-sqlite3';
import { DataSource, MigrationExecutor, type DataSourceOptions } from 'typeorm';
import { eventStoreMigrations } from '../migrations/event-store.migrations';

type ListItem<T> = T extends readonly (infer Item)[] ? Item : never;
/** What `DataSourceOptions.entities` takes: entity classes or `EntitySchema`s. */
export type EntityEntry = ListItem<NonNullable<DataSourceOptions['entities']>>;
/** What `DataSourceOptions.migrations` takes: migration classes. */
export type MigrationEntry = ListItem<NonNullable<DataSourceOptions['migrations']>>;

export interface DatabaseOptions {
  /** `postgres://…` (or `postgresql://…`) for PostgreSQL, `sqlite:<file>` or nothing for SQLite. */
  readonly url?: string;
  /** SQLite's file when `url` is not set; default `:memory:`. */
  readonly sqliteFile?: string;
  /** PostgreSQL: the service's schema, created if missing and made the connection's search_path. */
  readonly schema?: string;
  readonly entities?: readonly EntityEntry[];
  /** Run in timestamp order after the event store's own (which carry an older timestamp). */
  readonly migrations?: readonly MigrationEntry[];
  readonly logging?: boolean;
  /** PostgreSQL connection pool size; default 10. */
  readonly poolSize?: number;
  /**
   * PostgreSQL: `statement_timeout` of every pooled connection, in ms; a statement running longer is
   * cancelled. Unset or 0: the server's setting. Migrations run without it.
   */
  readonly statementTimeoutMs?: number;
  /**
   * PostgreSQL: `idle_in_transaction_session_timeout` of every pooled connection, in ms; a session
   * left idle inside an open transaction longer is terminated. Such a transaction holds back every
   * event feed of the cluster (readAll waits for the oldest open transaction). Unset or 0: the
   * server's setting.
   */
  readonly idleInTransactionTimeoutMs?: number;
}

/** A lower-case SQL identifier: safe unquoted in `search_path` and in DDL. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the service's database and brings its schema up to date with migrations (the event
 * store's, then the service's); never `synchronize`. The caller owns the DataSource and
 * destroys it on shutdown.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const url = options.url?.trim() || undefined;
  if (url && /^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options);
  if (url && !url.startsWith('sqlite:'))
    throw new Error(`database url must start with postgres://, postgresql:// or sqlite:, not ${redact(url)}`);
  return openSqlite(url ? url.slice('sqlite:'.length) : (options.sqliteFile ?? ':memory:'), options);
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<DataSource> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema))
    throw new Error(`schema ${schema} must be a lower-case SQL identifier (letters, digits, _)`);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema,
    extra: {
      // Every pooled connection resolves unqualified names in the service's schema only.
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
      // pg sends these with the connection's start-up packet: they hold from its first statement.
      ...sessionTimeouts(options),
    },
    poolSize: options.poolSize,
    entities: [...(options.entities ?? [])],
    migrations: [...eventStoreMigrations, ...(options.migrations ?? [])],
    migrationsTransactionMode: 'all',
    synchronize: false,
    logging: options.logging ?? false,
  });
  await dataSource.initialize();
  try {
    await migratePostgres(dataSource, schema);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** pg's names for the session timeouts; a limit of 0 leaves the server's setting. */
function sessionTimeouts(options: DatabaseOptions): Record<string, number> {
  const timeouts: Record<string, number> = {};
  const limits = [
    ['statement_timeout', 'statementTimeoutMs', options.statementTimeoutMs],
    ['idle_in_transaction_session_timeout', 'idleInTransactionTimeoutMs', options.idleInTransactionTimeoutMs],
  ] as const;
  for (const [setting, name, value] of limits) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`${name} must be a whole number of milliseconds, not ${value}`);
    if (value > 0) timeouts[setting] = value;
  }
  return timeouts;
}

/**
 * Several replicas of a service start together: an advisory lock (per database and schema) lets one
 * create the schema and run the migrations while the others wait, then find nothing left to do.
 * The session that waits and migrates lifts the service's timeouts: waiting for another replica's
 * migration, or building an index on a large table, may rightly take longer than any request.
 */
async function migratePostgres(dataSource: DataSource, schema: string | undefined): Promise<void> {
  const lockKey = `fleet-migrations:${schema ?? 'public'}`;
  const lock = dataSource.createQueryRunner('master');
  try {
    await lock.query('SET statement_timeout = 0');
    await lock.query('SET idle_in_transaction_session_timeout = 0');
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      if (schema) await lock.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      const migrations = new MigrationExecutor(dataSource, lock);
      migrations.transaction = 'all';
      await migrations.executePendingMigrations();
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
    // Back to the connection's own settings (its start-up packet's) before it returns to the pool.
    await lock.query('RESET statement_timeout');
    await lock.query('RESET idle_in_transaction_session_timeout');
  } finally {
    await lock.release();
  }
}

async function openSqlite(file: string, options: DatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: file,
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    prepareDatabase: (db: SqliteDatabase) => {
      // WAL: readers in other processes (backups, a sqlite3 shell) never block the writer.
      db.pragma('journal_mode = WAL');
      // FULL syncs the WAL on every commit: an acknowledged append survives a power cut.
      db.pragma('synchronous = FULL');
      db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      db.pragma('foreign_keys = ON');
    },
    entities: [...(options.entities ?? [])],
    migrations: [...eventStoreMigrations, ...(options.migrations ?? [])],
    migrationsTransactionMode: 'all',
    synchronize: false,
    logging: options.logging ?? false,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'all' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** Never print a password. */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
