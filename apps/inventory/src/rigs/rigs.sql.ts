import type { RigStatus } from '@fleet/contracts';
import type { EntityManager } from 'typeorm';
import { chunksOf, dialectOf, SqlParameters } from '@fleet/event-sourcing';
import type { RigRecord } from './rig.record';

/**
 * The `rigs` statements of the hot paths (a receipt registers a thousand rigs per event, a bulk
 * install racks thousands): set-based, never a statement per rig. PostgreSQL gets one array per
 * column through `unnest`, a handful of parameters however many rows; SQLite gets multi-row VALUES
 * lists in chunks under its parameter cap.
 */

/** What a lifecycle event changes on a rig's row. */
export interface RigRowChange {
  readonly id: string;
  readonly status: RigStatus;
  readonly rack: string | null;
  readonly slot: number | null;
  readonly version: number;
  readonly updatedAt: string;
}

const COLUMNS =
  'id, serial_number, model, facility_id, status, rack, slot, mac_address, version, registered_at, updated_at';

interface RigRow {
  id: string;
  serial_number: string;
  model: string;
  facility_id: string;
  status: RigStatus;
  rack: string | null;
  slot: number | string | null;
  mac_address: string | null;
  version: number | string;
  registered_at: string;
  updated_at: string;
}

export async function insertRigRows(manager: EntityManager, rows: readonly RigRecord[]): Promise<void> {
  if (rows.length === 0) return;
  const dialect = dialectOf(manager.connection);
  if (dialect === 'postgres') {
    await manager.query(
      `INSERT INTO rigs (${COLUMNS}) SELECT * FROM unnest(` +
        '$1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], ' +
        '$7::integer[], $8::varchar[], $9::integer[], $10::varchar[], $11::varchar[])',
      [
        rows.map((row) => row.id),
        rows.map((row) => row.serialNumber),
        rows.map((row) => row.model),
        rows.map((row) => row.facilityId),
        rows.map((row) => row.status),
        rows.map((row) => row.rack),
        rows.map((row) => row.slot),
        rows.map((row) => row.macAddress),
        rows.map((row) => row.version),
        rows.map((row) => row.registeredAt),
        rows.map((row) => row.updatedAt),
      ],
    );
    return;
  }
  for (const chunk of chunksOf(rows)) {
    const params = new SqlParameters(dialect);
    const tuples = chunk.map(
      (row) =>
        `(${[
          row.id,
          row.serialNumber,
          row.model,
          row.facilityId,
          row.status,
          row.rack,
          row.slot,
          row.macAddress,
          row.version,
          row.registeredAt,
          row.updatedAt,
        ]
          .map((value) => params.add(value))
          .join(', ')})`,
    );
    await manager.query(`INSERT INTO rigs (${COLUMNS}) VALUES ${tuples.join(', ')}`, params.values);
  }
}

/** The ids of one call must be distinct: callers split batches that touch a rig twice. */
export async function updateRigRows(manager: EntityManager, changes: readonly RigRowChange[]): Promise<void> {
  if (changes.length === 0) return;
  const dialect = dialectOf(manager.connection);
  const assignments =
    'status = v.status, rack = v.rack, slot = v.slot, version = v.version, updated_at = v.updated_at';
  if (dialect === 'postgres') {
    await manager.query(
      `UPDATE rigs SET ${assignments} FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::integer[], ` +
        '$5::integer[], $6::varchar[]) AS v(id, status, rack, slot, version, updated_at) WHERE rigs.id = v.id',
      [
        changes.map((change) => change.id),
        changes.map((change) => change.status),
        changes.map((change) => change.rack),
        changes.map((change) => change.slot),
        changes.map((change) => change.version),
        changes.map((change) => change.updatedAt),
      ],
    );
    return;
  }
  for (const chunk of chunksOf(changes)) {
    const params = new SqlParameters(dialect);
    const tuples = chunk.map(
      (change) =>
        `(${[change.id, change.status, change.rack, change.slot, change.version, change.updatedAt]
          .map((value) => params.add(value))
          .join(', ')})`,
    );
    // SQLite (3.33+) names a VALUES list's columns column1…columnN.
    await manager.query(
      `WITH v(id, status, rack, slot, version, updated_at) AS (VALUES ${tuples.join(', ')}) ` +
        `UPDATE rigs SET ${assignments} FROM v WHERE rigs.id = v.id`,
      params.values,
    );
  }
}

/** The ids among `ids` that have a row, i.e. rigs registered already. */
export async function existingRigIds(manager: EntityManager, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const row of await selectWhereIn<{ id: string }>(manager, 'SELECT id FROM rigs', 'id', ids))
    found.add(row.id);
  return found;
}

export async function findRigsBySerialNumbers(
  manager: EntityManager,
  serialNumbers: readonly string[],
): Promise<RigRecord[]> {
  const rows = await selectWhereIn<RigRow>(
    manager,
    `SELECT ${COLUMNS} FROM rigs`,
    'serial_number',
    serialNumbers,
  );
  return rows.map(recordOf);
}

async function selectWhereIn<Row>(
  manager: EntityManager,
  select: string,
  column: string,
  values: readonly string[],
): Promise<Row[]> {
  if (values.length === 0) return [];
  const dialect = dialectOf(manager.connection);
  if (dialect === 'postgres')
    return manager.query(`${select} WHERE ${column} = ANY($1::varchar[])`, [values]);
  const rows: Row[] = [];
  for (const chunk of chunksOf(values, 1000)) {
    const params = new SqlParameters(dialect);
    const list = chunk.map((value) => params.add(value)).join(', ');
    rows.push(...((await manager.query(`${select} WHERE ${column} IN (${list})`, params.values)) as Row[]));
  }
  return rows;
}

export interface RigPageFilter {
  readonly facilityId?: string;
  readonly status?: RigStatus;
  readonly model?: string;
  readonly serialNumber?: string;
  /** Only rigs whose id sorts after this one (the cursor). */
  readonly afterId?: string;
}

/** Up to `limit` rigs matching `filter`, in id order (each filter has an index ending with id). */
export async function selectRigPage(
  manager: EntityManager,
  filter: RigPageFilter,
  limit: number,
): Promise<RigRecord[]> {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, not ${limit}`);
  const params = new SqlParameters(dialectOf(manager.connection));
  const where: string[] = [];
  if (filter.facilityId !== undefined) where.push(`facility_id = ${params.add(filter.facilityId)}`);
  if (filter.status !== undefined) where.push(`status = ${params.add(filter.status)}`);
  if (filter.model !== undefined) where.push(`model = ${params.add(filter.model)}`);
  if (filter.serialNumber !== undefined) where.push(`serial_number = ${params.add(filter.serialNumber)}`);
  if (filter.afterId !== undefined) where.push(`id > ${params.add(filter.afterId)}`);
  const rows: RigRow[] = await manager.query(
    `SELECT ${COLUMNS} FROM rigs ${where.length > 0 ? `WHERE ${where.join(' AND ')} ` : ''}` +
      // A literal limit (an integer we checked) lets the planner see how few rows are wanted.
      `ORDER BY id LIMIT ${limit}`,
    params.values,
  );
  return rows.map(recordOf);
}

function recordOf(row: RigRow): RigRecord {
  return {
    id: row.id,
    serialNumber: row.serial_number,
    model: row.model,
    facilityId: row.facility_id,
    status: row.status,
    rack: row.rack,
    slot: row.slot === null ? null : Number(row.slot),
    macAddress: row.mac_address,
    version: Number(row.version),
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
  };
}
