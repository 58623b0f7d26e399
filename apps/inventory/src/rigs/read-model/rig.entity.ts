import type { RigStatus } from '@fleet/contracts';
import { tableOf } from '@fleet/event-sourcing';
import { EntitySchema } from 'typeorm';
import type { Rig } from '../domain/rig.state';

/** A row of the `rigs` read table: one rig as the API lists it, kept by `RigsProjection`. */
export interface RigRow {
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
  /** The facility power stream's version of the last power event the rig followed (null: none yet). */
  facilityPowerVersion: number | null;
  /** ISO-8601 UTC instants (`toISOString()`): fixed width, so text order is time order on both drivers. */
  registeredAt: string;
  updatedAt: string;
}

export const RigEntity = new EntitySchema<RigRow>({
  name: 'RigEntity',
  tableName: 'rigs',
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
    facilityPowerVersion: { name: 'facility_power_version', type: 'integer', nullable: true },
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

export const rigsTable = tableOf(RigEntity);

/**
 * The decider's state read from the row instead of the stream: the row is written in the same
 * transaction as every event of the rig, so at `row.version` the two agree. Used where thousands
 * of rigs are decided at once (bulk install), as `loaded: { state: rigStateOf(row), version: row.version }`.
 */
export function rigStateOf(row: RigRow): Rig {
  return {
    status: row.status,
    rigId: row.id,
    serialNumber: row.serialNumber,
    model: row.model,
    facilityId: row.facilityId,
    ...(row.rack !== null && row.slot !== null
      ? { location: { rack: row.rack, slot: Number(row.slot) } }
      : {}),
    ...(row.facilityPowerVersion !== null ? { facilityPowerVersion: Number(row.facilityPowerVersion) } : {}),
  };
}
