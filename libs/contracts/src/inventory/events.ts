import { z } from 'zod';
import { RigModelId } from '../rig-models';
import { FacilityId, MacAddress, SerialNumber, Uuid } from '../common';
import { defineEvent, type EventOf } from '../event-definition';

export const RackId = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'letters, digits and dashes, e.g. "A-12"');
export const SlotNumber = z.number().int().min(1).max(1000);

const RigSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('shipment'), orderId: Uuid, shipmentId: Uuid, receiptId: Uuid }),
  z.object({ kind: z.literal('manual') }),
]);

export const RigRegistered = defineEvent(
  'inventory',
  'RigRegistered',
  1,
  z.object({
    rigId: Uuid,
    serialNumber: SerialNumber,
    model: RigModelId,
    facilityId: FacilityId,
    macAddress: MacAddress.optional(),
    source: RigSource,
  }),
);

export const RigInstalled = defineEvent(
  'inventory',
  'RigInstalled',
  1,
  z.object({ rigId: Uuid, facilityId: FacilityId, rack: RackId, slot: SlotNumber }),
);

export const RigSentToRepair = defineEvent(
  'inventory',
  'RigSentToRepair',
  1,
  z.object({
    rigId: Uuid,
    facilityId: FacilityId,
    reason: z.string().min(1).max(500),
    /** The slot it left, if it was racked; the slot is free from now on. */
    vacated: z.object({ rack: RackId, slot: SlotNumber }).optional(),
  }),
);

export const RigReturnedFromRepair = defineEvent(
  'inventory',
  'RigReturnedFromRepair',
  1,
  z.object({ rigId: Uuid, facilityId: FacilityId }),
);

export const RigDecommissioned = defineEvent(
  'inventory',
  'RigDecommissioned',
  1,
  z.object({
    rigId: Uuid,
    facilityId: FacilityId,
    reason: z.string().min(1).max(500),
    vacated: z.object({ rack: RackId, slot: SlotNumber }).optional(),
  }),
);

/**
 * Power allocated the rig's power: it is online. `facilityPowerVersion` is the version of the
 * facility's power stream that decided it, so a late or repeated power event never undoes a newer one.
 */
export const RigPoweredOn = defineEvent(
  'inventory',
  'RigPoweredOn',
  1,
  z.object({
    rigId: Uuid,
    facilityId: FacilityId,
    rack: RackId,
    slot: SlotNumber,
    facilityPowerVersion: z.number().int().positive(),
  }),
);

/** Power released the rig's power (on request, or because it left its slot): it is back to installed. */
export const RigPoweredOff = defineEvent(
  'inventory',
  'RigPoweredOff',
  1,
  z.object({
    rigId: Uuid,
    facilityId: FacilityId,
    rack: RackId,
    slot: SlotNumber,
    reason: z.string().min(1).max(100),
    facilityPowerVersion: z.number().int().positive(),
  }),
);

/** A curtailment shed the rig's power: it is `curtailed` until the curtailment ends (or it leaves its slot). */
export const RigCurtailed = defineEvent(
  'inventory',
  'RigCurtailed',
  1,
  z.object({
    rigId: Uuid,
    facilityId: FacilityId,
    rack: RackId,
    slot: SlotNumber,
    curtailmentId: Uuid,
    facilityPowerVersion: z.number().int().positive(),
  }),
);

export const INVENTORY_EVENTS = [
  RigRegistered,
  RigInstalled,
  RigSentToRepair,
  RigReturnedFromRepair,
  RigDecommissioned,
  RigPoweredOn,
  RigPoweredOff,
  RigCurtailed,
] as const;

export type RigRegistered = EventOf<typeof RigRegistered>;
export type RigInstalled = EventOf<typeof RigInstalled>;
export type RigSentToRepair = EventOf<typeof RigSentToRepair>;
export type RigReturnedFromRepair = EventOf<typeof RigReturnedFromRepair>;
export type RigDecommissioned = EventOf<typeof RigDecommissioned>;
export type RigPoweredOn = EventOf<typeof RigPoweredOn>;
export type RigPoweredOff = EventOf<typeof RigPoweredOff>;
export type RigCurtailed = EventOf<typeof RigCurtailed>;

export type InventoryEvent =
  | RigRegistered
  | RigInstalled
  | RigSentToRepair
  | RigReturnedFromRepair
  | RigDecommissioned
  | RigPoweredOn
  | RigPoweredOff
  | RigCurtailed;

export const RIG_STATUSES = [
  'received',
  'installed',
  'online',
  'offline',
  'curtailed',
  'in_repair',
  'decommissioned',
] as const;
export type RigStatus = (typeof RIG_STATUSES)[number];
export const RigStatus = z.enum(RIG_STATUSES);
