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

/**
 * The row as the API shows it: a slot and a MAC address only where there is one, after the fields
 * every rig has. Written out field by field: V8 copies an object rest or spread through a slow
 * generic path, which was a tenth of a page read's CPU.
 */
export function toRigView(row: RigRow): RigView {
  const view: RigView = {
    id: row.id,
    serialNumber: row.serialNumber,
    model: row.model,
    facilityId: row.facilityId,
    status: row.status,
    version: Number(row.version),
    registeredAt: row.registeredAt,
    updatedAt: row.updatedAt,
  };
  if (row.rack !== null && row.slot !== null) {
    view.rack = row.rack;
    view.slot = Number(row.slot);
  }
  if (row.macAddress !== null) view.macAddress = row.macAddress;
  return view;
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
