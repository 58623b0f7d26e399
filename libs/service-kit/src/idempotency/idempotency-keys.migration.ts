import { dialectOf } from '@fleet/event-sourcing';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The kit's own table, in the service's database (and PostgreSQL schema): one row per
 * (actor, Idempotency-Key). `status_code` is null while the first request is in flight.
 * Times are epoch milliseconds, the same on both drivers.
 */
export class ServiceKitIdempotencyKeys1793000100000 implements MigrationInterface {
  readonly name = 'ServiceKitIdempotencyKeys1793000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = dialectOf(queryRunner.connection) === 'postgres';
    const [text, integer, bigint] = postgres ? ['text', 'integer', 'bigint'] : ['TEXT', 'INTEGER', 'INTEGER'];
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        actor ${text} NOT NULL,
        idempotency_key ${text} NOT NULL,
        request_method ${text} NOT NULL,
        request_path ${text} NOT NULL,
        request_hash ${text} NOT NULL,
        status_code ${integer},
        response_body ${text},
        response_headers ${text},
        created_at ${bigint} NOT NULL,
        completed_at ${bigint},
        PRIMARY KEY (actor, idempotency_key)
      )`);
    await queryRunner.query('CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_keys');
  }
}

export const serviceKitMigrations = [ServiceKitIdempotencyKeys1793000100000];
