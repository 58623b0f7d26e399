import { z } from 'zod';
import { RigModelId } from '../rig-models';
import { CalendarDate, FacilityId, Money, Quantity } from '../common';
import { DamagedUnit, ReceivedUnit } from './events';

/** HTTP request bodies of the procurement API. */
export const PlaceOrderRequest = z.object({
  facilityId: FacilityId,
  vendor: z.string().min(1).max(200),
  lines: z
    .array(z.object({ model: RigModelId, quantity: Quantity, unitPrice: Money }))
    .min(1)
    .max(100),
  expectedDelivery: CalendarDate.optional(),
});
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>;

export const DispatchShipmentRequest = z.object({
  lines: z
    .array(z.object({ model: RigModelId, quantity: Quantity }))
    .min(1)
    .max(100),
  carrier: z.string().min(1).max(200).optional(),
  trackingNumber: z.string().min(1).max(200).optional(),
  eta: CalendarDate,
});
export type DispatchShipmentRequest = z.infer<typeof DispatchShipmentRequest>;

export const DelayShipmentRequest = z.object({ eta: CalendarDate, reason: z.string().min(1).max(500) });
export type DelayShipmentRequest = z.infer<typeof DelayShipmentRequest>;

/** Large enough for a whole 12,000-unit shipment in one request. */
export const MAX_UNITS_PER_RECEIPT_REQUEST = 20_000;

export const ReceiveShipmentRequest = z
  .object({
    units: z.array(ReceivedUnit).max(MAX_UNITS_PER_RECEIPT_REQUEST).default([]),
    damaged: z.array(DamagedUnit).max(MAX_UNITS_PER_RECEIPT_REQUEST).optional(),
  })
  .refine((body) => body.units.length + (body.damaged?.length ?? 0) > 0, {
    message: 'a receipt needs at least one unit, received or damaged',
    path: ['units'],
  });
export type ReceiveShipmentRequest = z.infer<typeof ReceiveShipmentRequest>;

export const CancelOrderRequest = z.object({ reason: z.string().min(1).max(500).optional() }).default({});
export type CancelOrderRequest = z.infer<typeof CancelOrderRequest>;
