import type { RigStatus } from '@fleet/contracts';
import { decodeRow, dialectOf, queryPrepared, selectList, SqlParameters } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { rigsTable, type RigRow } from './rig.entity';

export interface RigPageFilter {
  /** One rig (its primary key). */
  readonly id?: string;
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
): Promise<RigRow[]> {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, not ${limit}`);
  const params = new SqlParameters(dialectOf(manager.connection));
  const where: string[] = [];
  if (filter.id !== undefined) where.push(`id = ${params.add(filter.id)}`);
  if (filter.facilityId !== undefined) where.push(`facility_id = ${params.add(filter.facilityId)}`);
  if (filter.status !== undefined) where.push(`status = ${params.add(filter.status)}`);
  if (filter.model !== undefined) where.push(`model = ${params.add(filter.model)}`);
  if (filter.serialNumber !== undefined) where.push(`serial_number = ${params.add(filter.serialNumber)}`);
  if (filter.afterId !== undefined) where.push(`id > ${params.add(filter.afterId)}`);
  // A prepared statement (PostgreSQL: parsed once per connection): GET /rigs and GET /rigs/:id are
  // the hottest reads. Its text depends only on which filters are set (at most 64 texts); the limit
  // is a parameter, which PostgreSQL's custom plans still see, so the planner knows how few rows
  // are wanted.
  const found = await queryPrepared<Record<string, unknown>>(
    manager,
    `SELECT ${selectList(manager, rigsTable)} FROM rigs ${where.length > 0 ? `WHERE ${where.join(' AND ')} ` : ''}` +
      `ORDER BY id LIMIT ${params.add(limit)}`,
    params.values,
  );
  return found.map((raw) => decodeRow(rigsTable, raw));
}
