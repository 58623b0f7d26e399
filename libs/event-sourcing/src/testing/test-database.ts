import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { type EntityEntry, type MigrationEntry, openDatabase } from '../database/open-database';

/** The drivers every contract suite runs against: `describe.each(TEST_DRIVERS)`. */
export const TEST_DRIVERS = ['sqlite', 'postgres'] as const;
export type TestDriver = (typeof TEST_DRIVERS)[number];

export interface TestDatabaseOptions {
  readonly entities?: readonly EntityEntry[];
  readonly migrations?: readonly MigrationEntry[];
  /** PostgreSQL only: run in this schema instead of `public`. */
  readonly schema?: string;
}

export interface TestDatabase {
  readonly dataSource: DataSource;
  readonly driver: TestDriver;
  /** PostgreSQL: the fresh database's URL (open more DataSources on it with `openDatabase`). */
  readonly url?: string;
  /** SQLite: the temporary database file. */
  readonly sqliteFile?: string;
  /** Closes the DataSource and drops the database (PostgreSQL) or deletes the file (SQLite). */
  dispose(): Promise<void>;
}

/** The server tests create their databases on; trust auth as the `postgres` user by default. */
export function testDatabaseAdminUrl(): string {
  return process.env['FLEET_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/**
 * A fresh, migrated database of its own for one test file: on PostgreSQL a database
 * `fleet_test_<random>` created on the server at `FLEET_TEST_DATABASE_URL` and dropped by
 * `dispose`; on SQLite a file in a temporary directory.
 */
export async function createTestDatabase(
  driver: TestDriver,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  return driver === 'postgres' ? createPostgresDatabase(options) : createSqliteDatabase(options);
}

async function createSqliteDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const directory = await mkdtemp(join(tmpdir(), 'fleet-test-'));
  const sqliteFile = join(directory, 'events.sqlite');
  try {
    const dataSource = await openDatabase({
      sqliteFile,
      entities: options.entities,
      migrations: options.migrations,
    });
    return {
      dataSource,
      driver: 'sqlite',
      sqliteFile,
      async dispose() {
        if (dataSource.isInitialized) await dataSource.destroy();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

async function createPostgresDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const adminUrl = testDatabaseAdminUrl();
  const name = `fleet_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  try {
    const dataSource = await openDatabase({
      url: url.toString(),
      schema: options.schema,
      entities: options.entities,
      migrations: options.migrations,
    });
    return {
      dataSource,
      driver: 'postgres',
      url: url.toString(),
      async dispose() {
        if (dataSource.isInitialized) await dataSource.destroy();
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** Runs one statement in a connection of its own (CREATE DATABASE, roles: outside any pool). */
export async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
