import { PROCUREMENT_EVENTS, type ProcurementEvent, type PurchaseOrderPlaced } from '@fleet/contracts';
import { rowProjection, type RecordedEvent } from '@fleet/event-sourcing';
import { orderLinesAfter, orderStatusOf, placedLines } from '../domain/order.state';
import { orderTable, type OrderRow } from './order.entity';

function placedRow(event: RecordedEvent<PurchaseOrderPlaced>): OrderRow {
  const { data, metadata } = event;
  return {
    id: data.orderId,
    seq: event.position.toString(),
    facilityId: data.facilityId,
    vendor: data.vendor,
    status: 'placed',
    expectedDelivery: data.expectedDelivery ?? null,
    lines: placedLines(data.lines),
    createdAt: metadata.occurredAt,
    updatedAt: metadata.occurredAt,
    cancelledAt: null,
    fulfilledAt: null,
    version: event.streamVersion,
  };
}

/** Every event of an order moves its row's version, the ETag of the order and of its shipments. */
function orderRowAfter(row: OrderRow | null, event: RecordedEvent<ProcurementEvent>): OrderRow {
  if (event.type === 'PurchaseOrderPlaced') return placedRow(event);
  if (!row) throw new Error(`orders projection: no row for order ${event.data.orderId}`);
  const at = event.metadata.occurredAt;
  const lines = orderLinesAfter(row.lines, event);
  return {
    ...row,
    lines,
    status: orderStatusOf(lines),
    cancelledAt: event.type === 'PurchaseOrderCancelled' ? at : row.cancelledAt,
    fulfilledAt: event.type === 'PurchaseOrderFulfilled' ? event.data.fulfilledAt : row.fulfilledAt,
    updatedAt: at,
    version: event.streamVersion,
  };
}

/**
 * `orders`, one row per order stream. A 12,000-unit receipt's dozen events fold into one write of
 * the row; its units become rows of `received_serials` only.
 */
export const OrdersProjection = rowProjection({
  name: 'orders',
  table: orderTable,
  handles: PROCUREMENT_EVENTS.map((definition) => definition.type),
  rowIdOf: (event: RecordedEvent<ProcurementEvent>) => event.data.orderId,
  createdBy: ['PurchaseOrderPlaced'],
  evolve: orderRowAfter,
});
