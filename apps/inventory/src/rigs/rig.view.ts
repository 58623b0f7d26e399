import { FacilityId, RigStatus, Uuid } from '@fleet/contracts';
import { z } from 'zod';
import type { RigRecord } from './rig.record';

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

export function toRigView(record: RigRecord): RigView {
  return {
    id: record.id,
    serialNumber: record.serialNumber,
    model: record.model,
    facilityId: record.facilityId,
    status: record.status,
    ...(record.rack !== null && record.slot !== null ? { rack: record.rack, slot: Number(record.slot) } : {}),
    ...(record.macAddress !== null ? { macAddress: record.macAddress } : {}),
    version: Number(record.version),
    registeredAt: record.registeredAt,
    updatedAt: record.updatedAt,
  };
}
