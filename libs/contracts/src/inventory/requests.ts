import { z } from 'zod';
import { RigModelId } from '../rig-models';
import { FacilityId, MacAddress, SerialNumber } from '../common';
import { RackId, SlotNumber } from './events';

/** HTTP request bodies of the inventory API. */
export const RegisterRigRequest = z.object({
  serialNumber: SerialNumber,
  model: RigModelId,
  facilityId: FacilityId,
  macAddress: MacAddress.optional(),
});
export type RegisterRigRequest = z.infer<typeof RegisterRigRequest>;

export const InstallRigRequest = z.object({ rack: RackId, slot: SlotNumber });
export type InstallRigRequest = z.infer<typeof InstallRigRequest>;

export const MAX_PLACEMENTS_PER_REQUEST = 20_000;

export const Placement = z.object({ serialNumber: SerialNumber, rack: RackId, slot: SlotNumber });
export type Placement = z.infer<typeof Placement>;

export const BulkInstallRequest = z.object({
  placements: z.array(Placement).min(1).max(MAX_PLACEMENTS_PER_REQUEST),
});
export type BulkInstallRequest = z.infer<typeof BulkInstallRequest>;

export const RepairRigRequest = z.object({ reason: z.string().min(1).max(500) });
export type RepairRigRequest = z.infer<typeof RepairRigRequest>;

export const DecommissionRigRequest = z.object({ reason: z.string().min(1).max(500) });
export type DecommissionRigRequest = z.infer<typeof DecommissionRigRequest>;
