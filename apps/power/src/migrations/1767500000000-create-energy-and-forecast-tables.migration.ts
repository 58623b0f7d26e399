import { dialectOf, insertRows, SqlParameters } from '@fleet/event-sourcing';
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import {
  LOAD_EVENT_TYPES,
  nextLoadChange,
  type LoadChangePoint,
  type LoadEvent,
} from '../energy/domain/load-change';
import {
  energyLoadChangesTable,
  type EnergyLoadChangeRow,
} from '../energy/read-model/energy-load-change.entity';

/** Facility events read a page at a time: an allocation of 1,000 rigs is 150 KB. */
const BACKFILL_PAGE = 100;

const facilityKey = (constraint: string): TableColumnOptions => ({
  name: 'facility_id',
  type: 'varchar',
  length: '63',
  isPrimary: true,
  primaryKeyConstraintName: constraint,
});

const idKey = (name: string, constraint: string): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isPrimary: true,
  primaryKeyConstraintName: constraint,
});
const modelKey = (constraint: string): TableColumnOptions => ({
  name: 'model',
  type: 'varchar',
  length: '64',
  isPrimary: true,
  primaryKeyConstraintName: constraint,
});
const facility: TableColumnOptions = { name: 'facility_id', type: 'varchar', length: '63' };
const orderId: TableColumnOptions = { name: 'order_id', type: 'varchar', length: '36' };
const count = (name: string): TableColumnOptions => ({ name, type: 'integer' });

/**
 * The query tables of facilities' energy (load change points for the estimate, meter readings,
 * market prices, tariffs, each day's latest published cost) and of the capacity forecast (what
 * procurement says is coming). `create-energy-and-forecast-tables.migration.int.spec.ts` checks on
 * both databases that the schema it leaves is the entities'.
 */
export class CreateEnergyAndForecastTables1767500000000 implements MigrationInterface {
  readonly name = 'CreateEnergyAndForecastTables1767500000000';

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
          {
            name: 'since',
            type: 'varchar',
            length: '24',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_energy_tariffs',
          },
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
    await this.createForecastTables(queryRunner);
    await this.backfillLoadChanges(queryRunner);
  }

  /**
   * The load change points of the facility events appended before this migration (the inline
   * projection writes the later ones), so their energy is estimated from the start.
   */
  private async backfillLoadChanges(queryRunner: QueryRunner): Promise<void> {
    const latest = new Map<string, LoadChangePoint | null>();
    for (let after = 0; ;) {
      const parameters = new SqlParameters(dialectOf(queryRunner.connection));
      const types = LOAD_EVENT_TYPES.map((type) => parameters.add(type)).join(', ');
      const events = (await queryRunner.query(
        `SELECT position, type, data, occurred_at FROM events
         WHERE stream_type = 'facility' AND type IN (${types}) AND position > ${parameters.add(after)}
         ORDER BY position LIMIT ${BACKFILL_PAGE}`,
        parameters.values,
      )) as { position: number | string; type: string; data: unknown; occurred_at: string | Date }[];
      if (events.length === 0) return;
      const rows: EnergyLoadChangeRow[] = [];
      for (const stored of events) {
        // SQLite keeps the data as text, PostgreSQL as jsonb.
        const data: unknown = typeof stored.data === 'string' ? JSON.parse(stored.data) : stored.data;
        const event = { type: stored.type, data } as LoadEvent;
        const { facilityId } = event.data;
        const next = nextLoadChange(
          latest.get(facilityId) ?? null,
          event,
          new Date(stored.occurred_at).toISOString(),
        );
        if (!next) continue;
        rows.push({ facilityId, ...next });
        latest.set(facilityId, next);
      }
      await insertRows(queryRunner.manager, energyLoadChangesTable, rows);
      after = Number(events[events.length - 1].position);
    }
  }

  private async createForecastTables(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'forecast_orders',
        columns: [
          idKey('order_id', 'pk_forecast_orders'),
          facility,
          { name: 'expected_delivery', type: 'varchar', length: '10', isNullable: true },
        ],
        indices: [{ name: 'ix_forecast_orders_facility', columnNames: ['facility_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'forecast_order_lines',
        columns: [
          idKey('order_id', 'pk_forecast_order_lines'),
          modelKey('pk_forecast_order_lines'),
          facility,
          count('ordered'),
          count('cancelled'),
          count('dispatched'),
        ],
        indices: [{ name: 'ix_forecast_order_lines_facility', columnNames: ['facility_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'forecast_shipments',
        columns: [
          idKey('shipment_id', 'pk_forecast_shipments'),
          orderId,
          facility,
          { name: 'eta', type: 'varchar', length: '10', isNullable: true },
          count('eta_version'),
        ],
        indices: [{ name: 'ix_forecast_shipments_facility', columnNames: ['facility_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'forecast_shipment_lines',
        columns: [
          idKey('shipment_id', 'pk_forecast_shipment_lines'),
          modelKey('pk_forecast_shipment_lines'),
          orderId,
          facility,
          count('dispatched'),
          count('received'),
          count('damaged'),
        ],
        indices: [{ name: 'ix_forecast_shipment_lines_facility', columnNames: ['facility_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'forecast_shipment_lines',
      'forecast_shipments',
      'forecast_order_lines',
      'forecast_orders',
      'energy_cost_accruals',
      'energy_tariffs',
      'energy_prices',
      'energy_meter_readings',
      'energy_load_changes',
    ])
      await queryRunner.dropTable(table);
  }
}
