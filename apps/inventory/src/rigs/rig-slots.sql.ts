import type { EntityManager } from 'typeorm';
import { chunksOf, dialectOf, SqlParameters } from '@fleet/event-sourcing';

/** The `rig_slots` statements, set-based like those of `rigs.sql.ts` (unnest on PostgreSQL, VALUES on SQLite). */

export interface SlotKey {
  readonly facilityId: string;
  readonly rack: string;
  readonly slot: number;
}

export interface SlotOccupant extends SlotKey {
  readonly rigId: string;
  /** Null only if the occupant's rig row is missing, which the projections never leave behind. */
  readonly serialNumber: string | null;
}

export type Placement = SlotKey & { readonly rigId: string };

export function slotKeyOf(slot: SlotKey): string {
  return `${slot.facilityId}\u0000${slot.rack}\u0000${slot.slot}`;
}

interface OccupantRow {
  facility_id: string;
  rack: string;
  slot: number | string;
  rig_id: string;
  serial_number: string | null;
}

const OCCUPANTS =
  'SELECT s.facility_id, s.rack, s.slot, s.rig_id, r.serial_number FROM rig_slots s ' +
  'JOIN k ON s.facility_id = k.facility_id AND s.rack = k.rack AND s.slot = k.slot ' +
  'LEFT JOIN rigs r ON r.id = s.rig_id';

/** Who sits in any of these slots now (with the serial, for the error message). */
export async function findSlotOccupants(
  manager: EntityManager,
  slots: readonly SlotKey[],
): Promise<SlotOccupant[]> {
  if (slots.length === 0) return [];
  const dialect = dialectOf(manager.connection);
  const rows: OccupantRow[] = [];
  if (dialect === 'postgres') {
    rows.push(
      ...((await manager.query(
        'WITH k(facility_id, rack, slot) AS (SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::integer[])) ' +
          OCCUPANTS,
        [
          slots.map((slot) => slot.facilityId),
          slots.map((slot) => slot.rack),
          slots.map((slot) => slot.slot),
        ],
      )) as OccupantRow[]),
    );
  } else {
    for (const chunk of chunksOf(slots)) {
      const params = new SqlParameters(dialect);
      const keys = chunk.map(
        (slot) => `(${params.add(slot.facilityId)}, ${params.add(slot.rack)}, ${params.add(slot.slot)})`,
      );
      rows.push(
        ...((await manager.query(
          `WITH k(facility_id, rack, slot) AS (VALUES ${keys.join(', ')}) ${OCCUPANTS}`,
          params.values,
        )) as OccupantRow[]),
      );
    }
  }
  return rows.map((row) => ({
    facilityId: row.facility_id,
    rack: row.rack,
    slot: Number(row.slot),
    rigId: row.rig_id,
    serialNumber: row.serial_number,
  }));
}

export async function occupySlots(manager: EntityManager, placements: readonly Placement[]): Promise<void> {
  if (placements.length === 0) return;
  const dialect = dialectOf(manager.connection);
  if (dialect === 'postgres') {
    await manager.query(
      'INSERT INTO rig_slots (facility_id, rack, slot, rig_id) ' +
        'SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::integer[], $4::varchar[])',
      [
        placements.map((placement) => placement.facilityId),
        placements.map((placement) => placement.rack),
        placements.map((placement) => placement.slot),
        placements.map((placement) => placement.rigId),
      ],
    );
    return;
  }
  for (const chunk of chunksOf(placements)) {
    const params = new SqlParameters(dialect);
    const tuples = chunk.map(
      (placement) =>
        `(${params.add(placement.facilityId)}, ${params.add(placement.rack)}, ${params.add(placement.slot)}, ${params.add(placement.rigId)})`,
    );
    await manager.query(
      `INSERT INTO rig_slots (facility_id, rack, slot, rig_id) VALUES ${tuples.join(', ')}`,
      params.values,
    );
  }
}

export async function vacateSlotsOf(manager: EntityManager, rigIds: readonly string[]): Promise<void> {
  if (rigIds.length === 0) return;
  const dialect = dialectOf(manager.connection);
  if (dialect === 'postgres') {
    await manager.query('DELETE FROM rig_slots WHERE rig_id = ANY($1::varchar[])', [rigIds]);
    return;
  }
  for (const chunk of chunksOf(rigIds, 1000)) {
    const params = new SqlParameters(dialect);
    await manager.query(
      `DELETE FROM rig_slots WHERE rig_id IN (${chunk.map((id) => params.add(id)).join(', ')})`,
      params.values,
    );
  }
}
