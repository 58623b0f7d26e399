import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Reporting's tables: the report documents of each generation, each consumer's checkpoint per
 * generation, the generations themselves, and the one row naming the active generation (the first
 * from the start): consumers share-lock it, a rebuild's swap updates it.
 */
export class CreateReportTables1767398400000 implements MigrationInterface {
  readonly name = 'CreateReportTables1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'report_documents',
        columns: [
          {
            name: 'generation',
            type: 'integer',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_report_documents',
          },
          {
            name: 'kind',
            type: 'varchar',
            length: '32',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_report_documents',
          },
          {
            name: 'key',
            type: 'varchar',
            length: '200',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_report_documents',
          },
          { name: 'facility_id', type: 'varchar', length: '63' },
          { name: 'data', type: 'text' },
        ],
        indices: [
          { name: 'ix_report_documents_facility', columnNames: ['generation', 'kind', 'facility_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'report_checkpoints',
        columns: [
          {
            name: 'generation',
            type: 'integer',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_report_checkpoints',
          },
          {
            name: 'consumer',
            type: 'varchar',
            length: '64',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_report_checkpoints',
          },
          { name: 'position', type: 'bigint' },
          { name: 'stream_sequence', type: 'bigint' },
          { name: 'rebuilt_through', type: 'bigint' },
          { name: 'events', type: 'integer' },
          { name: 'updated_at', type: 'varchar', length: '40' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'report_generations',
        columns: [
          {
            name: 'generation',
            type: 'integer',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_report_generations',
          },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'started_at', type: 'varchar', length: '40' },
          { name: 'progressed_at', type: 'varchar', length: '40' },
          { name: 'finished_at', type: 'varchar', length: '40', isNullable: true },
          { name: 'events', type: 'integer' },
          { name: 'error', type: 'varchar', length: '2000', isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'report_active_generation',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_report_active_generation',
          },
          { name: 'generation', type: 'integer' },
        ],
      }),
    );
    await queryRunner.query(`INSERT INTO report_active_generation (id, generation) VALUES (1, 1)`);
    await queryRunner.query(
      `INSERT INTO report_generations (generation, status, started_at, progressed_at, finished_at, events, error) VALUES (1, 'active', '${new Date(0).toISOString()}', '${new Date(0).toISOString()}', NULL, 0, NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('report_active_generation');
    await queryRunner.dropTable('report_generations');
    await queryRunner.dropTable('report_checkpoints');
    await queryRunner.dropTable('report_documents');
  }
}
