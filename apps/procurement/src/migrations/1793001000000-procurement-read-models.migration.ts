import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const uuid = (name: string): TableColumnOptions => ({ name, type: 'varchar', length: '36' });
const instant = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '40',
  isNullable,
});

/**
 * Procurement's query tables, written by its inline projections. Portable column types only, so
 * the same migration runs on SQLite and PostgreSQL; `orders.projection.int.spec.ts` checks that the schema
 * it leaves is the one the entities expect.
 */
export class ProcurementReadModels1793001000000 implements MigrationInterface {
  readonly name = 'ProcurementReadModels1793001000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'orders',
        columns: [
          { ...uuid('id'), isPrimary: true },
          { name: 'seq', type: 'bigint' },
          { name: 'facility_id', type: 'varchar', length: '63' },
          { name: 'vendor', type: 'varchar', length: '200' },
          { name: 'status', type: 'varchar', length: '32' },
          { name: 'expected_delivery', type: 'varchar', length: '10', isNullable: true },
          { name: 'lines', type: 'text' },
          instant('created_at'),
          instant('updated_at'),
          instant('cancelled_at', true),
          instant('fulfilled_at', true),
          { name: 'version', type: 'integer' },
        ],
        indices: [
          { name: 'orders_seq_key', columnNames: ['seq'], isUnique: true },
          { name: 'orders_facility_status_seq_idx', columnNames: ['facility_id', 'status', 'seq'] },
          { name: 'orders_status_seq_idx', columnNames: ['status', 'seq'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'shipments',
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('order_id'),
          { name: 'seq', type: 'bigint' },
          { name: 'facility_id', type: 'varchar', length: '63' },
          { name: 'status', type: 'varchar', length: '32' },
          { name: 'lines', type: 'text' },
          { name: 'eta', type: 'varchar', length: '10' },
          { name: 'carrier', type: 'varchar', length: '200', isNullable: true },
          { name: 'tracking_number', type: 'varchar', length: '200', isNullable: true },
          { name: 'received', type: 'integer' },
          { name: 'damaged', type: 'integer' },
          instant('dispatched_at'),
          instant('updated_at'),
        ],
        indices: [{ name: 'shipments_order_seq_idx', columnNames: ['order_id', 'seq'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'received_serials',
        columns: [
          { name: 'serial_number', type: 'varchar', length: '64', isPrimary: true },
          { name: 'model', type: 'varchar', length: '64' },
          { name: 'condition', type: 'varchar', length: '16' },
          uuid('order_id'),
          uuid('shipment_id'),
          uuid('receipt_id'),
          { name: 'facility_id', type: 'varchar', length: '63' },
          instant('received_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('received_serials');
    await queryRunner.dropTable('shipments');
    await queryRunner.dropTable('orders');
  }
}
