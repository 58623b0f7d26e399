import type { MigrationInterface, QueryRunner } from 'typeorm';
import { POSTGRES_EVENT_STORE_DOWN, POSTGRES_EVENT_STORE_UP } from '../postgres/postgres-event-store.sql';
import { SQLITE_EVENT_STORE_DOWN, SQLITE_EVENT_STORE_UP } from '../sqlite/sqlite-event-store.sql';
import { runStatements } from './run-statements';

/**
 * The `events` and `snapshots` tables. The timestamp in the name is deliberately old: TypeORM runs
 * migrations in timestamp order, and a service's own migrations (projections) come after these.
 */
export class CreateEventStore1700000000000 implements MigrationInterface {
  readonly name = 'CreateEventStore1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await runStatements(queryRunner, { postgres: POSTGRES_EVENT_STORE_UP, sqlite: SQLITE_EVENT_STORE_UP });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runStatements(queryRunner, {
      postgres: POSTGRES_EVENT_STORE_DOWN,
      sqlite: SQLITE_EVENT_STORE_DOWN,
    });
  }
}
