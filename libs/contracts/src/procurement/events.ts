import { z } from 'zod';
import { RigModelId } from '../rig-models';
import {
  CalendarDate,
  FacilityId,
  Instant,
  MacAddress,
  Money,
  Quantity,
  SerialNumber,
  Uuid,
} from '../common';
import { defineEvent, type EventOf } from '../event-definition';

/**
 * A receipt of thousands of units is recorded as several `ShipmentUnitsReceived` events of at most
 * this many units each, so that no single event (nor NATS message) comes near the 1 MB payload cap.
 */
export const MAX_UNITS_PER_RECEIPT_EVENT = 1000;

/**
 * A receipt part is also closed once its units, encoded as UTF-8 JSON, would exceed this many bytes:
 * a damaged unit's reason may be 500 characters that JSON escaping or multi-byte characters inflate
 * up to sixfold, so a count alone does not keep an event under NATS's 1 MiB payload. Half a MiB leaves
 * ample room for the envelope around the units.
 */
export const MAX_RECEIPT_EVENT_UNITS_BYTES = 512 * 1024;

const OrderLine = z.object({ model: RigModelId, quantity: Quantity, unitPrice: Money });
const ModelQuantity = z.object({ model: RigModelId, quantity: Quantity });

export const ReceivedUnit = z.object({
  serialNumber: SerialNumber,
  model: RigModelId,
  macAddress: MacAddress.optional(),
});
export const DamagedUnit = z.object({
  serialNumber: SerialNumber,
  model: RigModelId,
  reason: z.string().min(1).max(500),
});

export const PurchaseOrderPlaced = defineEvent(
  'procurement',
  'PurchaseOrderPlaced',
  1,
  z.object({
    orderId: Uuid,
    facilityId: FacilityId,
    vendor: z.string().min(1).max(200),
    lines: z.array(OrderLine).min(1),
    expectedDelivery: CalendarDate.optional(),
  }),
);

export const PurchaseOrderCancelled = defineEvent(
  'procurement',
  'PurchaseOrderCancelled',
  1,
  z.object({
    orderId: Uuid,
    facilityId: FacilityId,
    reason: z.string().max(500).optional(),
    /** Per model, the quantity that was not shipped and is now cancelled. */
    cancelledLines: z.array(ModelQuantity),
  }),
);

export const ShipmentDispatched = defineEvent(
  'procurement',
  'ShipmentDispatched',
  1,
  z.object({
    shipmentId: Uuid,
    orderId: Uuid,
    facilityId: FacilityId,
    lines: z.array(ModelQuantity).min(1),
    carrier: z.string().max(200).optional(),
    trackingNumber: z.string().max(200).optional(),
    eta: CalendarDate,
  }),
);

export const ShipmentDelayed = defineEvent(
  'procurement',
  'ShipmentDelayed',
  1,
  z.object({
    shipmentId: Uuid,
    orderId: Uuid,
    facilityId: FacilityId,
    previousEta: CalendarDate,
    eta: CalendarDate,
    reason: z.string().min(1).max(500),
  }),
);

export const ShipmentUnitsReceived = defineEvent(
  'procurement',
  'ShipmentUnitsReceived',
  1,
  z.object({
    shipmentId: Uuid,
    orderId: Uuid,
    facilityId: FacilityId,
    /** One receipt (one request) may be split over several events: part `part` of `parts`. */
    receiptId: Uuid,
    part: z.number().int().positive(),
    parts: z.number().int().positive(),
    units: z.array(ReceivedUnit).min(1).max(MAX_UNITS_PER_RECEIPT_EVENT),
  }),
);

export const ShipmentUnitsDamaged = defineEvent(
  'procurement',
  'ShipmentUnitsDamaged',
  1,
  z.object({
    shipmentId: Uuid,
    orderId: Uuid,
    facilityId: FacilityId,
    receiptId: Uuid,
    part: z.number().int().positive(),
    parts: z.number().int().positive(),
    units: z.array(DamagedUnit).min(1).max(MAX_UNITS_PER_RECEIPT_EVENT),
  }),
);

export const PurchaseOrderFulfilled = defineEvent(
  'procurement',
  'PurchaseOrderFulfilled',
  1,
  z.object({
    orderId: Uuid,
    facilityId: FacilityId,
    received: z.number().int().nonnegative(),
    damaged: z.number().int().nonnegative(),
    fulfilledAt: Instant,
  }),
);

export const PROCUREMENT_EVENTS = [
  PurchaseOrderPlaced,
  PurchaseOrderCancelled,
  ShipmentDispatched,
  ShipmentDelayed,
  ShipmentUnitsReceived,
  ShipmentUnitsDamaged,
  PurchaseOrderFulfilled,
] as const;

export type PurchaseOrderPlaced = EventOf<typeof PurchaseOrderPlaced>;
export type PurchaseOrderCancelled = EventOf<typeof PurchaseOrderCancelled>;
export type ShipmentDispatched = EventOf<typeof ShipmentDispatched>;
export type ShipmentDelayed = EventOf<typeof ShipmentDelayed>;
export type ShipmentUnitsReceived = EventOf<typeof ShipmentUnitsReceived>;
export type ShipmentUnitsDamaged = EventOf<typeof ShipmentUnitsDamaged>;
export type PurchaseOrderFulfilled = EventOf<typeof PurchaseOrderFulfilled>;

export type ProcurementEvent =
  | PurchaseOrderPlaced
  | PurchaseOrderCancelled
  | ShipmentDispatched
  | ShipmentDelayed
  | ShipmentUnitsReceived
  | ShipmentUnitsDamaged
  | PurchaseOrderFulfilled;
