import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Power's query tables. Written with TypeORM's schema API so that one migration serves SQLite and
 * PostgreSQL; `create-power-read-tables.migration.int.spec.ts` checks on both that the schema it
 * leaves is the one the entities describe.
 */
export class CreatePowerReadTables1767312000000 implements MigrationInterface {
  readonly name = 'CreatePowerReadTables1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'power_rigs',
        columns: [
          {
            name: 'id',
            type: 'varchar',
            length: '36',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_power_rigs',
          },
          { name: 'facility_id', type: 'varchar', length: '63' },
          { name: 'model', type: 'varchar', length: '64', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'rack', type: 'varchar', length: '32', isNullable: true },
          { name: 'slot', type: 'integer', isNullable: true },
          { name: 'version', type: 'integer' },
        ],
        indices: [{ name: 'ix_power_rigs_placement', columnNames: ['facility_id', 'rack', 'slot'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('power_rigs');
  }
}
