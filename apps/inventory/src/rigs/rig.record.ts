import type { RigStatus } from '@fleet/contracts';
import { EntitySchema } from 'typeorm';
import type { Rig } from './rig.state';

/** A row of the `rigs` read table: one rig as the API lists it, kept by `RigsProjection`. */
export interface RigRecord {
  id: string;
  serialNumber: string;
  model: string;
  facilityId: string;
  status: RigStatus;
  rack: string | null;
  slot: number | null;
  macAddress: string | null;
  /** The rig stream's version: the ETag, and the expected version of the next append. */
  version: number;
  /** ISO-8601 UTC instants (`toISOString()`): fixed width, so text order is time order on both drivers. */
  registeredAt: string;
  updatedAt: string;
}

export const RIGS_TABLE = 'rigs';

export const RigRecordSchema = new EntitySchema<RigRecord>({
  name: 'RigRecord',
  tableName: RIGS_TABLE,
  columns: {
    id: { type: 'varchar', length: 36, primary: true, primaryKeyConstraintName: 'pk_rigs' },
    serialNumber: { name: 'serial_number', type: 'varchar', length: 64 },
    model: { type: 'varchar', length: 64 },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    status: { type: 'varchar', length: 16 },
    rack: { type: 'varchar', length: 32, nullable: true },
    slot: { type: 'integer', nullable: true },
    macAddress: { name: 'mac_address', type: 'varchar', length: 17, nullable: true },
    version: { type: 'integer' },
    registeredAt: { name: 'registered_at', type: 'varchar', length: 32 },
    updatedAt: { name: 'updated_at', type: 'varchar', length: 32 },
  },
  // Each list filter pages by id, so each index ends with it.
  indices: [
    { name: 'uq_rigs_serial_number', columns: ['serialNumber'], unique: true },
    { name: 'ix_rigs_facility_id', columns: ['facilityId', 'id'] },
    { name: 'ix_rigs_status_id', columns: ['status', 'id'] },
    { name: 'ix_rigs_model_id', columns: ['model', 'id'] },
  ],
});

/**
 * The decider's state read from the row instead of the stream: the row is written in the same
 * transaction as every event of the rig, so at `record.version` the two agree. Used where thousands
 * of rigs are decided at once (bulk install); the append then expects exactly `record.version`.
 */
export function rigStateOf(record: RigRecord): Rig {
  return {
    status: record.status,
    rigId: record.id,
    serialNumber: record.serialNumber,
    model: record.model,
    facilityId: record.facilityId,
    ...(record.rack !== null && record.slot !== null
      ? { location: { rack: record.rack, slot: Number(record.slot) } }
      : {}),
  };
}
