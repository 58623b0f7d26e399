import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const facilityKey = (constraint: string): TableColumnOptions => ({
  name: 'facility_id',
  type: 'varchar',
  length: '63',
  isPrimary: true,
  primaryKeyConstraintName: constraint,
});

/**
 * The query tables of facilities' energy: load change points (the estimate), meter readings,
 * market prices, tariffs and each day's latest published cost. `create-energy-read-tables
 * .migration.int.spec.ts` checks on both databases that the schema it leaves is the entities'.
 */
export class CreateEnergyReadTables1767500000000 implements MigrationInterface {
  readonly name = 'CreateEnergyReadTables1767500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'energy_load_changes',
        columns: [
          facilityKey('pk_energy_load_changes'),
          {
            name: 'seq',
            type: 'integer',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_energy_load_changes',
          },
          { name: 'at', type: 'varchar', length: '24' },
          { name: 'it_watts', type: 'integer' },
          { name: 'pue_milli', type: 'integer' },
        ],
        indices: [{ name: 'ix_energy_load_changes_at', columnNames: ['facility_id', 'at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'energy_meter_readings',
        columns: [
          facilityKey('pk_energy_meter_readings'),
          {
            name: 'meter_id',
            type: 'varchar',
            length: '64',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_energy_meter_readings',
          },
          {
            name: 'interval_start',
            type: 'varchar',
            length: '24',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_energy_meter_readings',
          },
          { name: 'interval_minutes', type: 'integer' },
          { name: 'kwh', type: 'varchar', length: '24' },
        ],
        indices: [{ name: 'ix_energy_meter_readings_start', columnNames: ['facility_id', 'interval_start'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'energy_prices',
        columns: [
          facilityKey('pk_energy_prices'),
          {
            name: 'start',
            type: 'varchar',
            length: '24',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_energy_prices',
          },
          { name: 'minutes', type: 'integer' },
          { name: 'usd_per_mwh', type: 'varchar', length: '24' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'energy_tariffs',
        columns: [
          facilityKey('pk_energy_tariffs'),
          { name: 'type', type: 'varchar', length: '16' },
          { name: 'usd_per_kwh', type: 'varchar', length: '24', isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'energy_cost_accruals',
        columns: [
          facilityKey('pk_energy_cost_accruals'),
          {
            name: 'day',
            type: 'varchar',
            length: '10',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_energy_cost_accruals',
          },
          { name: 'revision', type: 'integer' },
          { name: 'event_id', type: 'varchar', length: '36' },
          { name: 'kwh', type: 'varchar', length: '24' },
          { name: 'usd', type: 'varchar', length: '24' },
          { name: 'basis', type: 'varchar', length: '16' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'energy_cost_accruals',
      'energy_tariffs',
      'energy_prices',
      'energy_meter_readings',
      'energy_load_changes',
    ])
      await queryRunner.dropTable(table);
  }
}
