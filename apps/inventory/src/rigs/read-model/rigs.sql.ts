import type { RigStatus } from '@fleet/contracts';
import { decodeRow, dialectOf, selectList, SqlParameters } from '@fleet/event-sourcing';
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
  const found: Record<string, unknown>[] = await manager.query(
    `SELECT ${selectList(manager, rigsTable)} FROM rigs ${where.length > 0 ? `WHERE ${where.join(' AND ')} ` : ''}` +
      // A literal limit (an integer we checked) lets the planner see how few rows are wanted.
      `ORDER BY id LIMIT ${limit}`,
    params.values,
  );
  return found.map((raw) => decodeRow(rigsTable, raw));
}
