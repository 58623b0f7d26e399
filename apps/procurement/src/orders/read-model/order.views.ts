import { z } from 'zod';
import { Money } from '@fleet/contracts';
import { ORDER_STATUSES, SHIPMENT_STATUSES } from '../domain/order.state';
import type { OrderRow } from './order.entity';
import type { ShipmentRow } from './shipment.entity';

/*
 * What the API answers, as zod schemas: the TypeScript types come from them, and so does the
 * OpenAPI document (`toOpenApiSchema`). Instants are ISO-8601 strings, dates YYYY-MM-DD.
 */
const count = z.number().int().nonnegative();

export const OrderLineView = z.object({
  model: z.string(),
  quantity: count,
  unitPrice: Money,
  shipped: count,
  received: count,
  damaged: count,
  cancelled: count,
});
export type OrderLineView = z.infer<typeof OrderLineView>;

export const ShipmentLineView = z.object({
  model: z.string(),
  quantity: count,
  received: count,
  damaged: count,
});
export type ShipmentLineView = z.infer<typeof ShipmentLineView>;

/** A shipment as the API shows it. `received` and `damaged` total its lines. */
export const ShipmentView = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  facilityId: z.string(),
  status: z.enum(SHIPMENT_STATUSES),
  lines: z.array(ShipmentLineView),
  eta: z.string(),
  carrier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  received: count,
  damaged: count,
  dispatchedAt: z.string(),
  updatedAt: z.string(),
});
export type ShipmentView = z.infer<typeof ShipmentView>;

const orderFields = {
  id: z.uuid(),
  facilityId: z.string(),
  vendor: z.string(),
  status: z.enum(ORDER_STATUSES),
  lines: z.array(OrderLineView),
  expectedDelivery: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullable(),
  fulfilledAt: z.string().nullable(),
  /** The order stream's version, also sent as `ETag`. */
  version: z.number().int().positive(),
};

/** An order in a list: its shipments are left to `GET /orders/:id`. */
export const OrderSummaryView = z.object(orderFields);
export type OrderSummaryView = z.infer<typeof OrderSummaryView>;

/** A purchase order as the API shows it, with its shipments in dispatch order. */
export const OrderView = z.object({ ...orderFields, shipments: z.array(ShipmentView) });
export type OrderView = z.infer<typeof OrderView>;

export const OrderPage = z.object({ items: z.array(OrderSummaryView), nextCursor: z.string().nullable() });

/** What `POST /shipments/:id/receive` answers: the counts of this receipt and where things stand. */
export const ReceiptView = z.object({
  receiptId: z.uuid(),
  shipmentId: z.uuid(),
  orderId: z.uuid(),
  received: count,
  damaged: count,
  shipmentStatus: z.enum(SHIPMENT_STATUSES),
  orderStatus: z.enum(ORDER_STATUSES),
  version: z.number().int().positive(),
});
export type ReceiptView = z.infer<typeof ReceiptView>;

export function toShipmentView(row: ShipmentRow): ShipmentView {
  return {
    id: row.id,
    orderId: row.orderId,
    facilityId: row.facilityId,
    status: row.status,
    lines: [...row.lines],
    eta: row.eta,
    carrier: row.carrier,
    trackingNumber: row.trackingNumber,
    received: row.received,
    damaged: row.damaged,
    dispatchedAt: row.dispatchedAt,
    updatedAt: row.updatedAt,
  };
}

export function toOrderSummaryView(row: OrderRow): OrderSummaryView {
  return {
    id: row.id,
    facilityId: row.facilityId,
    vendor: row.vendor,
    status: row.status,
    lines: row.lines.map((line): OrderLineView => ({
      model: line.model,
      quantity: line.quantity,
      unitPrice: { amount: line.unitPrice.amount, currency: line.unitPrice.currency } satisfies Money,
      shipped: line.shipped,
      received: line.received,
      damaged: line.damaged,
      cancelled: line.cancelled,
    })),
    expectedDelivery: row.expectedDelivery,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    cancelledAt: row.cancelledAt,
    fulfilledAt: row.fulfilledAt,
    version: row.version,
  };
}

export function toOrderView(row: OrderRow, shipments: readonly ShipmentRow[]): OrderView {
  const { version, ...summary } = toOrderSummaryView(row);
  return { ...summary, shipments: shipments.map(toShipmentView), version };
}
