import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `power_curtailments`: the curtailments' query table and the durable schedule's to-do list;
 * `power_interval_prices`: the posted prices the price rule weighs.
 */
export class CreateCurtailmentsTable1767400000000 implements MigrationInterface {
  readonly name = 'CreateCurtailmentsTable1767400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'power_curtailments',
        columns: [
          {
            name: 'id',
            type: 'varchar',
            length: '36',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_power_curtailments',
          },
          { name: 'facility_id', type: 'varchar', length: '63' },
          { name: 'trigger', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'reason', type: 'varchar', length: '500' },
          { name: 'reduce_by_watts', type: 'integer', isNullable: true },
          { name: 'target_load_watts', type: 'integer', isNullable: true },
          { name: 'starts_at', type: 'varchar', length: '30' },
          { name: 'ends_at', type: 'varchar', length: '30' },
          { name: 'hold_load_watts', type: 'integer', isNullable: true },
          { name: 'rigs_curtailed', type: 'integer' },
          { name: 'it_watts_shed', type: 'integer' },
          { name: 'rigs_restored', type: 'integer' },
          { name: 'not_restored', type: 'text' },
          { name: 'rigs_handed_over', type: 'integer' },
          { name: 'handed_over_to', type: 'varchar', length: '36', isNullable: true },
          { name: 'ending', type: 'varchar', length: '16', isNullable: true },
          { name: 'ended_at', type: 'varchar', length: '30', isNullable: true },
        ],
        indices: [{ name: 'ix_power_curtailments_due', columnNames: ['status', 'starts_at', 'ends_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'power_interval_prices',
        columns: [
          {
            name: 'id',
            type: 'varchar',
            length: '100',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_power_interval_prices',
          },
          { name: 'facility_id', type: 'varchar', length: '63' },
          { name: 'starts_at', type: 'varchar', length: '30' },
          { name: 'ends_at', type: 'varchar', length: '30' },
          { name: 'usd_per_mwh', type: 'varchar', length: '24' },
        ],
        indices: [{ name: 'ix_power_interval_prices_facility_end', columnNames: ['facility_id', 'ends_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('power_interval_prices');
    await queryRunner.dropTable('power_curtailments');
  }
}
