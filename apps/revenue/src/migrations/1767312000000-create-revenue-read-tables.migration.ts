import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

function text(name: string, length: number, isNullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), isNullable };
}

function primary(table: string, length: number): TableColumnOptions {
  return { ...text('id', length), isPrimary: true, primaryKeyConstraintName: `pk_${table}` };
}

/**
 * Revenue's query tables, kept by its inline projections. Written with TypeORM's schema API so that
 * one migration serves SQLite and PostgreSQL. Amounts are strings (base units, decimal USD): no
 * float column anywhere.
 */
export class CreateRevenueReadTables1767312000000 implements MigrationInterface {
  readonly name = 'CreateRevenueReadTables1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'payouts',
        columns: [
          primary('payouts', 200),
          text('facility_id', 63),
          text('period', 7),
          text('pool', 64),
          text('txid', 128),
          text('coin', 8),
          text('amount', 32),
          text('paid_at', 40),
          text('period_start', 40),
          text('period_end', 40),
          text('day', 10),
          text('fixing_usd', 32, true),
          text('usd', 32, true),
          text('late_for', 7, true),
          text('recorded_at', 32),
        ],
        indices: [{ name: 'ix_payouts_coin_day', columnNames: ['coin', 'day'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'journal_lines',
        columns: [
          primary('journal_lines', 48),
          text('facility_id', 63),
          text('period', 7),
          text('entry_id', 36),
          { name: 'entry_version', type: 'integer' },
          { name: 'line_no', type: 'integer' },
          text('date', 10),
          text('account', 32),
          text('side', 6),
          text('usd', 32),
          text('coin', 8, true),
          text('amount', 32, true),
          text('kwh', 32, true),
          text('basis', 16, true),
          text('late_for', 7, true),
          text('memo', 500),
        ],
        indices: [
          {
            name: 'ix_journal_lines_period',
            columnNames: ['facility_id', 'period', 'entry_version', 'line_no'],
          },
          { name: 'ix_journal_lines_date', columnNames: ['facility_id', 'date'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'energy_days',
        columns: [
          primary('energy_days', 80),
          text('facility_id', 63),
          text('day', 10),
          text('kwh', 32),
          text('usd', 32),
          text('basis', 16),
          { name: 'revision', type: 'integer' },
          text('period', 7),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'periods',
        columns: [
          primary('periods', 72),
          text('facility_id', 63),
          text('month', 7),
          text('status', 8),
          text('closed_at', 40, true),
          { name: 'version', type: 'integer' },
        ],
        indices: [{ name: 'ix_periods_facility_status', columnNames: ['facility_id', 'status'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'prices',
        columns: [primary('prices', 20), text('coin', 8), text('date', 10), text('usd', 32)],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'hash_values',
        columns: [
          primary('hash_values', 20),
          text('coin', 8),
          text('date', 10),
          text('coin_per_unit_per_day', 32),
          text('unit', 8),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['hash_values', 'prices', 'periods', 'energy_days', 'journal_lines', 'payouts'])
      await queryRunner.dropTable(table);
  }
}
