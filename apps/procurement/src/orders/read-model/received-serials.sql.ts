import type { EntityManager } from 'typeorm';
import { chunksOf, dialectOf, SQLITE_MAX_PARAMETERS } from '@fleet/event-sourcing';
import type { ReceivedSerialRow } from './received-serials.entity';

/**
 * `received_serials` in plain SQL: a 12,000-unit receipt is 12,000 rows, and TypeORM's query
 * builder spends most of a second preparing that many values, several times what the database
 * needs to store them.
 */
export interface ReceivedSerialsSql {
  /** The serials among these that are recorded already. */
  findKnown(manager: EntityManager, serials: readonly string[]): Promise<string[]>;
  insert(manager: EntityManager, rows: readonly ReceivedSerialRow[]): Promise<void>;
}

/** Each column and the row field it stores. */
const COLUMNS: readonly (readonly [string, keyof ReceivedSerialRow])[] = [
  ['serial_number', 'serialNumber'],
  ['model', 'model'],
  ['condition', 'condition'],
  ['order_id', 'orderId'],
  ['shipment_id', 'shipmentId'],
  ['receipt_id', 'receiptId'],
  ['facility_id', 'facilityId'],
  ['received_at', 'receivedAt'],
];

/** Lookups and multi-row inserts go in chunks below SQLite's parameter limit. */
const SQLITE_SERIALS_PER_LOOKUP = 10_000;
const SQLITE_ROWS_PER_INSERT = Math.floor(SQLITE_MAX_PARAMETERS / COLUMNS.length);

const sqlite: ReceivedSerialsSql = {
  async findKnown(manager, serials) {
    const known: string[] = [];
    for (const chunk of chunksOf(serials, SQLITE_SERIALS_PER_LOOKUP)) {
      const rows = await manager.query<{ serial_number: string }[]>(
        `SELECT serial_number FROM received_serials WHERE serial_number IN (${chunk.map(() => '?').join(',')})`,
        [...chunk],
      );
      for (const row of rows) known.push(row.serial_number);
    }
    return known;
  },

  async insert(manager, rows) {
    const tuple = `(${COLUMNS.map(() => '?').join(',')})`;
    for (const chunk of chunksOf(rows, SQLITE_ROWS_PER_INSERT)) {
      const parameters: string[] = [];
      for (const row of chunk) for (const [, field] of COLUMNS) parameters.push(row[field]);
      await manager.query(
        `INSERT INTO received_serials (${COLUMNS.map(([column]) => column).join(', ')})
         VALUES ${chunk.map(() => tuple).join(',')}`,
        parameters,
      );
    }
  },
};

/**
 * PostgreSQL gets the whole batch as one JSON parameter: one statement per lookup and per insert,
 * no parameter limit, and `JSON.stringify` is far cheaper than pg's escaping of large text arrays.
 */
const postgres: ReceivedSerialsSql = {
  async findKnown(manager, serials) {
    const rows = await manager.query<{ serial_number: string }[]>(
      `SELECT serial_number FROM received_serials
        WHERE serial_number IN (SELECT json_array_elements_text($1::json))`,
      [JSON.stringify(serials)],
    );
    return rows.map((row) => row.serial_number);
  },

  async insert(manager, rows) {
    // The rows are serialised as they are; the record's fields are their property names.
    await manager.query(
      `INSERT INTO received_serials (${COLUMNS.map(([column]) => column).join(', ')})
       SELECT ${COLUMNS.map(([, field]) => `"${field}"`).join(', ')}
         FROM json_to_recordset($1::json) AS batch(${COLUMNS.map(([, field]) => `"${field}" varchar`).join(', ')})`,
      [JSON.stringify(rows)],
    );
  },
};

export function receivedSerialsSqlOf(manager: EntityManager): ReceivedSerialsSql {
  return dialectOf(manager.connection) === 'postgres' ? postgres : sqlite;
}
