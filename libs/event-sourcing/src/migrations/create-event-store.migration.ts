import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf } from '../database/dialect';
import { POSTGRES_EVENT_STORE_DOWN, POSTGRES_EVENT_STORE_UP } from '../postgres/postgres-event-store.sql';
import { SQLITE_EVENT_STORE_DOWN, SQLITE_EVENT_STORE_UP } from '../sqlite/sqlite-event-store.sql';

/**
 * The `events` and `snapshots` tables. The timestamp in the name is deliberately old: TypeORM runs
 * migrations in timestamp order, and a service's own migrations (projections) come after these.
 */
export class CreateEventStore1700000000000 implements MigrationInterface {
  readonly name = 'CreateEventStore1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements =
      dialectOf(queryRunner.connection) === 'postgres' ? POSTGRES_EVENT_STORE_UP : SQLITE_EVENT_STORE_UP;
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const statements =
      dialectOf(queryRunner.connection) === 'postgres' ? POSTGRES_EVENT_STORE_DOWN : SQLITE_EVENT_STORE_DOWN;
    for (const statement of statements) await queryRunner.query(statement);
  }
}
