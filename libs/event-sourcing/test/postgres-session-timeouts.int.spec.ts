import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { openDatabase } from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';

const QUERY_CANCELED = '57014';

/** Sleeps longer than the statement timeout under test: only a migration may. */
class SlowMigration1700000000900 implements MigrationInterface {
  readonly name = 'SlowMigration1700000000900';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT pg_sleep(0.5)');
  }
  async down(): Promise<void> {
    // Nothing to undo.
  }
}

function driverCode(error: unknown): unknown {
  return (error as { driverError?: { code?: unknown }; code?: unknown }).driverError?.code;
}

describe('PostgreSQL session timeouts (openDatabase)', () => {
  let db: TestDatabase;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });

  afterEach(async () => {
    for (const dataSource of opened.splice(0)) if (dataSource.isInitialized) await dataSource.destroy();
  });

  afterAll(async () => {
    await db?.dispose();
  });

  async function open(options: Parameters<typeof openDatabase>[0]): Promise<DataSource> {
    const dataSource = await openDatabase({ url: db.url, ...options });
    opened.push(dataSource);
    return dataSource;
  }

  it('gives every pooled connection the limits, and migrates without them', async () => {
    const dataSource = await open({
      statementTimeoutMs: 200,
      idleInTransactionTimeoutMs: 1500,
      migrations: [SlowMigration1700000000900],
    });
    const [row] = await dataSource.query<{ statement_timeout: string; idle: string }[]>(
      `SELECT current_setting('statement_timeout') AS statement_timeout,
              current_setting('idle_in_transaction_session_timeout') AS idle`,
    );
    expect(row).toEqual({ statement_timeout: '200ms', idle: '1500ms' });
    const migrated = await dataSource.query<unknown[]>(
      `SELECT 1 FROM migrations WHERE name = 'SlowMigration1700000000900'`,
    );
    expect(migrated).toHaveLength(1);
  });

  it('cancels a statement that runs past statementTimeoutMs', async () => {
    const dataSource = await open({ statementTimeoutMs: 200 });
    const error = await dataSource.query('SELECT pg_sleep(10)').catch((caught: unknown) => caught);
    expect(driverCode(error)).toBe(QUERY_CANCELED);
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('ends a session left idle in a transaction, and the pool goes on with a fresh one', async () => {
    const dataSource = await open({ idleInTransactionTimeoutMs: 300 });
    const observer = await open({});
    const idle = dataSource.createQueryRunner();
    await idle.startTransaction();
    const [{ pid }] = (await idle.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];

    // The server ends the session on its own: wait for it to be gone from pg_stat_activity.
    for (;;) {
      const rows = await observer.query<unknown[]>('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
      if (rows.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await expect(idle.query('SELECT 1')).rejects.toThrow();
    await idle.release();
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('refuses a timeout that is not a whole number of milliseconds before connecting', async () => {
    await expect(
      openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', statementTimeoutMs: -1 }),
    ).rejects.toThrow(/statementTimeoutMs must be a whole number of milliseconds/);
  });
});
