import type { Database as SqliteDatabase } from 'better-sqlite3';
import { DataSource, type DataSourceOptions } from 'typeorm';
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
    // Every pooled connection resolves unqualified names in the service's schema only.
    extra: schema ? { options: `-c search_path=${schema}` } : undefined,
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

/**
 * Several replicas of a service start together: an advisory lock (per database and schema) lets one
 * create the schema and run the migrations while the others wait, then find nothing left to do.
 */
async function migratePostgres(dataSource: DataSource, schema: string | undefined): Promise<void> {
  const lockKey = `fleet-migrations:${schema ?? 'public'}`;
  const lock = dataSource.createQueryRunner('master');
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      if (schema) await lock.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
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
