import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PROCUREMENT_EVENTS, type ProcurementEvent } from '@fleet/contracts';
import type { InlineProjection, RecordedEvent } from '@fleet/event-sourcing';
import { countByModel, orderStatusOf, placedLines, shipmentStatusOf } from './order.state';
import { OrdersTable, type OrderRow } from './read-model/orders.entity';
import { ShipmentsTable, type ShipmentRow } from './read-model/shipments.entity';

interface Tracked<Row> {
  row: Row;
  isNew: boolean;
}

/**
 * Keeps `orders` and `shipments` in step with the order streams, in the append's transaction.
 * An append of a 12,000-unit receipt carries a dozen events for one order and one shipment: rows
 * are loaded once, changed in memory and written once per append, and no unit becomes a row here
 * (serials go to `received_serials` only).
 */
@Injectable()
export class OrdersProjection implements InlineProjection {
  readonly name = 'orders';
  readonly handles = PROCUREMENT_EVENTS.map((definition) => definition.type);

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const orders = new Map<string, Tracked<OrderRow>>();
    const shipments = new Map<string, Tracked<ShipmentRow>>();

    const order = async (id: string): Promise<OrderRow> => {
      const tracked = orders.get(id);
      if (tracked) return tracked.row;
      const row = await manager.findOneBy(OrdersTable, { id });
      if (!row) throw new Error(`orders projection: no row for order ${id}`);
      orders.set(id, { row, isNew: false });
      return row;
    };
    const shipment = async (id: string): Promise<ShipmentRow> => {
      const tracked = shipments.get(id);
      if (tracked) return tracked.row;
      const row = await manager.findOneBy(ShipmentsTable, { id });
      if (!row) throw new Error(`orders projection: no row for shipment ${id}`);
      shipments.set(id, { row, isNew: false });
      return row;
    };

    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ProcurementEvent;
      const at = recorded.metadata.occurredAt;
      if (event.type === 'PurchaseOrderPlaced') {
        const { data } = event;
        orders.set(data.orderId, {
          isNew: true,
          row: {
            id: data.orderId,
            seq: recorded.position.toString(),
            facilityId: data.facilityId,
            vendor: data.vendor,
            status: 'placed',
            expectedDelivery: data.expectedDelivery ?? null,
            lines: placedLines(data.lines),
            createdAt: at,
            updatedAt: at,
            cancelledAt: null,
            fulfilledAt: null,
            version: recorded.streamVersion,
          },
        });
        continue;
      }

      const row = await order(event.data.orderId);
      switch (event.type) {
        case 'ShipmentDispatched': {
          const { data } = event;
          shipments.set(data.shipmentId, {
            isNew: true,
            row: {
              id: data.shipmentId,
              orderId: data.orderId,
              seq: recorded.position.toString(),
              facilityId: data.facilityId,
              status: 'in_transit',
              lines: data.lines.map(({ model, quantity }) => ({ model, quantity, received: 0, damaged: 0 })),
              eta: data.eta,
              carrier: data.carrier ?? null,
              trackingNumber: data.trackingNumber ?? null,
              received: 0,
              damaged: 0,
              dispatchedAt: at,
              updatedAt: at,
            },
          });
          addToLines(row.lines, 'shipped', new Map(data.lines.map((line) => [line.model, line.quantity])));
          break;
        }
        case 'ShipmentDelayed': {
          const target = await shipment(event.data.shipmentId);
          target.eta = event.data.eta;
          if (target.status === 'in_transit') target.status = 'delayed';
          target.updatedAt = at;
          break;
        }
        case 'ShipmentUnitsReceived':
        case 'ShipmentUnitsDamaged': {
          const counter = event.type === 'ShipmentUnitsReceived' ? 'received' : 'damaged';
          const byModel = countByModel(event.data.units);
          const target = await shipment(event.data.shipmentId);
          addToLines(target.lines, counter, byModel);
          target[counter] += event.data.units.length;
          target.status = shipmentStatusOf(target.lines, target.status);
          target.updatedAt = at;
          addToLines(row.lines, counter, byModel);
          break;
        }
        case 'PurchaseOrderCancelled':
          addToLines(
            row.lines,
            'cancelled',
            new Map(event.data.cancelledLines.map((line) => [line.model, line.quantity])),
          );
          row.cancelledAt = at;
          break;
        case 'PurchaseOrderFulfilled':
          row.fulfilledAt = event.data.fulfilledAt;
          break;
      }
      row.status = orderStatusOf(row.lines);
      row.updatedAt = at;
      row.version = recorded.streamVersion;
    }

    const orderRows = split(orders);
    if (orderRows.created.length > 0) await manager.insert(OrdersTable, orderRows.created);
    for (const { id, ...changes } of orderRows.changed) await manager.update(OrdersTable, { id }, changes);
    const shipmentRows = split(shipments);
    if (shipmentRows.created.length > 0) await manager.insert(ShipmentsTable, shipmentRows.created);
    for (const { id, ...changes } of shipmentRows.changed)
      await manager.update(ShipmentsTable, { id }, changes);
  }
}

type Counter = 'shipped' | 'received' | 'damaged' | 'cancelled';

/** Rows are this projection's own mutable copies, so lines are replaced in place. */
function addToLines<Line extends { readonly model: string }>(
  lines: Line[],
  counter: keyof Line & Counter,
  byModel: ReadonlyMap<string, number>,
): void {
  lines.forEach((line, index) => {
    const added = byModel.get(line.model);
    if (added) lines[index] = { ...line, [counter]: (line[counter] as number) + added };
  });
}

function split<Row>(rows: ReadonlyMap<string, Tracked<Row>>): { created: Row[]; changed: Row[] } {
  const created: Row[] = [];
  const changed: Row[] = [];
  for (const { row, isNew } of rows.values()) (isNew ? created : changed).push(row);
  return { created, changed };
}
