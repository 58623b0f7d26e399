import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const PK = 'pk_rig_time_sums';

/**
 * Rig time and reconciliation: `rig_time_sums` (kept by the consumers of power's and inventory's
 * events), `pool_assignments` (a projection), the rig time a close froze (`periods.rig_time`, JSON),
 * and an index to read a facility's payouts by day.
 */
export class AddRigTimeAndReconciliation1767398400000 implements MigrationInterface {
  readonly name = 'AddRigTimeAndReconciliation1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rig_time_sums',
        columns: [
          {
            name: 'facility_id',
            type: 'varchar',
            length: '63',
            isPrimary: true,
            primaryKeyConstraintName: PK,
          },
          { name: 'day', type: 'varchar', length: '10', isPrimary: true, primaryKeyConstraintName: PK },
          { name: 'measure', type: 'varchar', length: '16', isPrimary: true, primaryKeyConstraintName: PK },
          { name: 'model', type: 'varchar', length: '64', isPrimary: true, primaryKeyConstraintName: PK },
          { name: 'net_rigs', type: 'integer' },
          { name: 'offset_ms', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pool_assignments',
        columns: [
          {
            name: 'id',
            type: 'varchar',
            length: '140',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_pool_assignments',
          },
          { name: 'facility_id', type: 'varchar', length: '63' },
          { name: 'coin', type: 'varchar', length: '8' },
          { name: 'pool', type: 'varchar', length: '64' },
          { name: 'hashrate_share', type: 'varchar', length: '16' },
        ],
        indices: [{ name: 'ix_pool_assignments_facility', columnNames: ['facility_id'] }],
      }),
    );
    await queryRunner.addColumn(
      'periods',
      new TableColumn({ name: 'rig_time', type: 'text', isNullable: true }),
    );
    await queryRunner.createIndex(
      'payouts',
      new TableIndex({ name: 'ix_payouts_facility_day', columnNames: ['facility_id', 'day'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('payouts', 'ix_payouts_facility_day');
    await queryRunner.dropColumn('periods', 'rig_time');
    await queryRunner.dropTable('pool_assignments');
    await queryRunner.dropTable('rig_time_sums');
  }
}
