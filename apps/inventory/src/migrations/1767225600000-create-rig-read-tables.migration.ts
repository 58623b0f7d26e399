import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The inventory's query tables, kept by its inline projections. Written with TypeORM's schema API
 * so that one migration serves SQLite and PostgreSQL; `create-rig-read-tables.migration.int.spec.ts`
 * checks on both that the schema it leaves is the one the entities describe.
 */
export class CreateRigReadTables1767225600000 implements MigrationInterface {
  readonly name = 'CreateRigReadTables1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rigs',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true, primaryKeyConstraintName: 'pk_rigs' },
          { name: 'serial_number', type: 'varchar', length: '64' },
          { name: 'model', type: 'varchar', length: '64' },
          { name: 'facility_id', type: 'varchar', length: '63' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'rack', type: 'varchar', length: '32', isNullable: true },
          { name: 'slot', type: 'integer', isNullable: true },
          { name: 'mac_address', type: 'varchar', length: '17', isNullable: true },
          { name: 'version', type: 'integer' },
          { name: 'registered_at', type: 'varchar', length: '32' },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
        indices: [
          { name: 'uq_rigs_serial_number', columnNames: ['serial_number'], isUnique: true },
          { name: 'ix_rigs_facility_id', columnNames: ['facility_id', 'id'] },
          { name: 'ix_rigs_status_id', columnNames: ['status', 'id'] },
          { name: 'ix_rigs_model_id', columnNames: ['model', 'id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'rig_slots',
        columns: [
          {
            name: 'facility_id',
            type: 'varchar',
            length: '63',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_rig_slots',
          },
          {
            name: 'rack',
            type: 'varchar',
            length: '32',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_rig_slots',
          },
          { name: 'slot', type: 'integer', isPrimary: true, primaryKeyConstraintName: 'pk_rig_slots' },
          { name: 'rig_id', type: 'varchar', length: '36' },
        ],
        indices: [{ name: 'uq_rig_slots_rig_id', columnNames: ['rig_id'], isUnique: true }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rig_slots');
    await queryRunner.dropTable('rigs');
  }
}
