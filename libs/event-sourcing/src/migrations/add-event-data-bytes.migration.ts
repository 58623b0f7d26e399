import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  POSTGRES_EVENT_DATA_BYTES_DOWN,
  POSTGRES_EVENT_DATA_BYTES_UP,
} from '../postgres/postgres-event-store.sql';
import { SQLITE_EVENT_DATA_BYTES_DOWN, SQLITE_EVENT_DATA_BYTES_UP } from '../sqlite/sqlite-event-store.sql';
import { runStatements } from './run-statements';

/**
 * `events.data_bytes`: each event's data size, so that `readAll({ maxBytes })` sizes a page without
 * reading the data it leaves out. Existing rows keep NULL (the table is append-only) and are measured
 * when read. Older than any service's migration, like the event store's first.
 */
export class AddEventDataBytes1700000000050 implements MigrationInterface {
  readonly name = 'AddEventDataBytes1700000000050';

  async up(queryRunner: QueryRunner): Promise<void> {
    await runStatements(queryRunner, {
      postgres: POSTGRES_EVENT_DATA_BYTES_UP,
      sqlite: SQLITE_EVENT_DATA_BYTES_UP,
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runStatements(queryRunner, {
      postgres: POSTGRES_EVENT_DATA_BYTES_DOWN,
      sqlite: SQLITE_EVENT_DATA_BYTES_DOWN,
    });
  }
}
