import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf, type MigrationClass } from '@fleet/event-sourcing';
import { MESSAGING_DOWN, MESSAGING_UP } from './messaging.sql';

/** Creates `inbox` and `outbox_checkpoints`. TypeORM orders migrations by the timestamp in the name. */
export class MessagingTables1793000000000 implements MigrationInterface {
  // Explicit, so a minifier renaming the class cannot rename the migration.
  readonly name = 'MessagingTables1793000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of MESSAGING_UP[dialectOf(queryRunner.connection)])
      await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of MESSAGING_DOWN) await queryRunner.query(statement);
  }
}

/** Pass to `openDatabase({ migrations: [...messagingMigrations, ...yours] })`. */
export const messagingMigrations: readonly MigrationClass[] = [MessagingTables1793000000000];
