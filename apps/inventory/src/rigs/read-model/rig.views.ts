import { FacilityId, RIG_STATUSES, RigStatus, Uuid } from '@fleet/contracts';
import { z } from 'zod';
import type { RigRow } from './rig.entity';

/** A rig as the API shows it (also its OpenAPI schema). `rack` and `slot` are there while it sits in a slot. */
export const RigView = z.object({
  id: Uuid,
  serialNumber: z.string(),
  model: z.string().describe('catalogue id, see GET /models'),
  facilityId: FacilityId,
  status: RigStatus,
  rack: z.string().optional(),
  slot: z.number().int().optional(),
  macAddress: z.string().optional(),
  version: z.number().int().positive().describe('the rig stream version, also its ETag'),
  registeredAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type RigView = z.infer<typeof RigView>;

/** The row as the API shows it: a slot and a MAC address only where there is one. */
export function toRigView(row: RigRow): RigView {
  // `identity` keeps the row's column order (id, serial, model, facility, status), and so the answer's.
  const {
    rack,
    slot,
    macAddress,
    version,
    registeredAt,
    updatedAt,
    facilityPowerVersion: _power,
    ...identity
  } = row;
  return {
    ...identity,
    ...(rack !== null && slot !== null ? { rack, slot: Number(slot) } : {}),
    ...(macAddress !== null ? { macAddress } : {}),
    version: Number(version),
    registeredAt,
    updatedAt,
  };
}

/** `GET /rigs`: one page, and the cursor of the next while there is one. */
export const RigPageView = z.object({ items: z.array(RigView), nextCursor: z.string().nullable() });

/** `GET /facilities/:facilityId/summary`. */
export const FacilitySummaryView = z.object({
  facilityId: FacilityId,
  total: z.number().int(),
  byStatus: z.object(Object.fromEntries(RIG_STATUSES.map((status) => [status, z.number().int()]))),
  byModel: z
    .record(z.string(), z.number().int())
    .describe('rigs per catalogue model present in the facility'),
});
