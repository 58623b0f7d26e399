import type { ProcurementEvent, ShipmentDispatched } from '@fleet/contracts';
import { rowProjection, type RecordedEvent } from '@fleet/event-sourcing';
import { arrivedOf, dispatchedShipment, shipmentAfter } from '../domain/order.state';
import { shipmentTable, type ShipmentRow } from './shipment.entity';

type ShipmentEvent = Extract<ProcurementEvent, { readonly data: { readonly shipmentId: string } }>;

function dispatchedRow(event: RecordedEvent<ShipmentDispatched>): ShipmentRow {
  const { data, metadata } = event;
  return {
    ...dispatchedShipment(data),
    orderId: data.orderId,
    seq: event.position.toString(),
    facilityId: data.facilityId,
    carrier: data.carrier ?? null,
    trackingNumber: data.trackingNumber ?? null,
    received: 0,
    damaged: 0,
    dispatchedAt: metadata.occurredAt,
    updatedAt: metadata.occurredAt,
  };
}

/** Lines, status and ETA as the decider's state has them, plus the totals over the lines. */
function shipmentRowAfter(row: ShipmentRow | null, event: RecordedEvent<ShipmentEvent>): ShipmentRow {
  if (event.type === 'ShipmentDispatched') return dispatchedRow(event);
  if (!row) throw new Error(`shipments projection: no row for shipment ${event.data.shipmentId}`);
  const shipment = shipmentAfter(row, event);
  return { ...shipment, ...arrivedOf(shipment.lines), updatedAt: event.metadata.occurredAt };
}

/** `shipments`, one row per shipment, folded from its order stream's events that name it. */
export const ShipmentsProjection = rowProjection({
  name: 'shipments',
  table: shipmentTable,
  handles: ['ShipmentDispatched', 'ShipmentDelayed', 'ShipmentUnitsReceived', 'ShipmentUnitsDamaged'],
  rowIdOf: (event: RecordedEvent<ShipmentEvent>) => event.data.shipmentId,
  createdBy: ['ShipmentDispatched'],
  evolve: shipmentRowAfter,
});
