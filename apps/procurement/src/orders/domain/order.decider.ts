import {
  MAX_RECEIPT_EVENT_UNITS_BYTES,
  MAX_UNITS_PER_RECEIPT_EVENT,
  type ProcurementEvent,
  type PurchaseOrderFulfilled,
  type ShipmentUnitsDamaged,
  type ShipmentUnitsReceived,
} from '@fleet/contracts';
import type { CommandOptions, Decider, SnapshotPolicy } from '@fleet/event-sourcing';
import type {
  CancelOrder,
  DelayShipment,
  DispatchShipment,
  OrderCommand,
  PlaceOrder,
  ReceiveShipment,
} from './order.commands';
import {
  duplicateLines,
  duplicateSerials,
  emptyReceipt,
  etaNotLater,
  modelNotOnShipment,
  modelNotOrdered,
  nothingToCancel,
  orderAlreadyExists,
  orderClosed,
  orderNotFound,
  receiptExceedsShipment,
  shipmentAlreadyExists,
  shipmentAlreadyReceived,
  shipmentExceedsOrder,
  shipmentNotFound,
} from './order.errors';
import {
  arrivedOf,
  countByModel,
  evolveOrder,
  initialOrderState,
  outstandingOf,
  type OrderState,
  type PurchaseOrder,
  type ShipmentState,
} from './order.state';

export const ORDER_STREAM_TYPE = 'order';
export const orderStreamId = (orderId: string): string => `order-${orderId}`;

/** Order streams grow by one event per thousand units received; replay from a recent snapshot. */
export const orderSnapshots: SnapshotPolicy<OrderState> = { every: 50, schemaVersion: 1 };

/** Where a command goes (the options of `handleCommand` that follow from the command alone). */
export function orderStreamOf(
  command: OrderCommand,
): Pick<CommandOptions<OrderState>, 'streamId' | 'streamType' | 'mustCreate' | 'snapshots'> {
  return {
    streamId: orderStreamId(command.data.orderId),
    streamType: ORDER_STREAM_TYPE,
    mustCreate: command.type === 'PlaceOrder',
    snapshots: orderSnapshots,
  };
}

function requireOrder(state: OrderState, orderId: string): PurchaseOrder {
  if (state.status === 'none') throw orderNotFound(orderId);
  return state;
}

function requireShipment(order: PurchaseOrder, shipmentId: string): ShipmentState {
  const shipment = order.shipments.find((candidate) => candidate.id === shipmentId);
  if (!shipment) throw shipmentNotFound(shipmentId, order.orderId);
  return shipment;
}

function requireOpen(order: PurchaseOrder): void {
  if (order.status === 'fulfilled' || order.status === 'cancelled')
    throw orderClosed(order.orderId, order.status);
}

function duplicatesOf(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) duplicates.add(value);
    else seen.add(value);
  }
  return [...duplicates];
}

function refuseDuplicateModels(
  lines: readonly { readonly model: string }[],
  what: 'order' | 'shipment',
): void {
  const duplicates = duplicatesOf(lines.map((line) => line.model));
  if (duplicates.length > 0) throw duplicateLines(what, duplicates);
}

function placeOrder({ data }: PlaceOrder, state: OrderState): ProcurementEvent[] {
  if (state.status !== 'none') throw orderAlreadyExists(data.orderId);
  refuseDuplicateModels(data.lines, 'order');
  return [
    {
      type: 'PurchaseOrderPlaced',
      data: {
        orderId: data.orderId,
        facilityId: data.facilityId,
        vendor: data.vendor,
        lines: data.lines.map(({ model, quantity, unitPrice }) => ({ model, quantity, unitPrice })),
        ...(data.expectedDelivery === undefined ? {} : { expectedDelivery: data.expectedDelivery }),
      },
    },
  ];
}

function dispatchShipment({ data }: DispatchShipment, state: OrderState): ProcurementEvent[] {
  const order = requireOrder(state, data.orderId);
  requireOpen(order);
  if (order.shipments.some((shipment) => shipment.id === data.shipmentId))
    throw shipmentAlreadyExists(data.shipmentId);
  refuseDuplicateModels(data.lines, 'shipment');

  const notOrdered = data.lines
    .filter((line) => !order.lines.some((ordered) => ordered.model === line.model))
    .map((line) => line.model);
  if (notOrdered.length > 0) throw modelNotOrdered(order.orderId, notOrdered);
  const excess = data.lines.flatMap((line) => {
    const ordered = order.lines.find((candidate) => candidate.model === line.model);
    const outstanding = ordered ? outstandingOf(ordered) : 0;
    return line.quantity > outstanding ? [{ model: line.model, requested: line.quantity, outstanding }] : [];
  });
  if (excess.length > 0) throw shipmentExceedsOrder(excess);

  return [
    {
      type: 'ShipmentDispatched',
      data: {
        shipmentId: data.shipmentId,
        orderId: order.orderId,
        facilityId: order.facilityId,
        lines: data.lines.map(({ model, quantity }) => ({ model, quantity })),
        ...(data.carrier === undefined ? {} : { carrier: data.carrier }),
        ...(data.trackingNumber === undefined ? {} : { trackingNumber: data.trackingNumber }),
        eta: data.eta,
      },
    },
  ];
}

function delayShipment({ data }: DelayShipment, state: OrderState): ProcurementEvent[] {
  const order = requireOrder(state, data.orderId);
  const shipment = requireShipment(order, data.shipmentId);
  if (shipment.status === 'received') throw shipmentAlreadyReceived(shipment.id);
  // Calendar dates (YYYY-MM-DD) order lexicographically.
  if (data.eta <= shipment.eta) throw etaNotLater(shipment.eta, data.eta);
  return [
    {
      type: 'ShipmentDelayed',
      data: {
        shipmentId: shipment.id,
        orderId: order.orderId,
        facilityId: order.facilityId,
        previousEta: shipment.eta,
        eta: data.eta,
        reason: data.reason,
      },
    },
  ];
}

const utf8 = new TextEncoder();

/**
 * Splits a receipt's units into event parts of at most `MAX_UNITS_PER_RECEIPT_EVENT` units and at
 * most `MAX_RECEIPT_EVENT_UNITS_BYTES` of JSON, so that no event outgrows a NATS message. A single
 * unit is far below the byte budget (its fields are length-limited), so every part holds one or more.
 */
function partsOf<T>(items: readonly T[]): T[][] {
  const parts: T[][] = [];
  let current: T[] = [];
  // The brackets of the array, then one comma per unit after the first.
  let bytes = 2;
  for (const item of items) {
    const size = utf8.encode(JSON.stringify(item)).byteLength;
    if (
      current.length > 0 &&
      (current.length === MAX_UNITS_PER_RECEIPT_EVENT || bytes + 1 + size > MAX_RECEIPT_EVENT_UNITS_BYTES)
    ) {
      parts.push(current);
      current = [];
      bytes = 2;
    }
    bytes += (current.length === 0 ? 0 : 1) + size;
    current.push(item);
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

function receiveShipment({ data }: ReceiveShipment, state: OrderState): ProcurementEvent[] {
  const order = requireOrder(state, data.orderId);
  const shipment = requireShipment(order, data.shipmentId);
  if (data.units.length + data.damaged.length === 0) throw emptyReceipt();

  const repeated = duplicatesOf(
    (function* () {
      for (const unit of data.units) yield unit.serialNumber;
      for (const unit of data.damaged) yield unit.serialNumber;
    })(),
  );
  if (repeated.length > 0) throw duplicateSerials(repeated);

  const arriving = countByModel(data.units);
  for (const [model, count] of countByModel(data.damaged))
    arriving.set(model, (arriving.get(model) ?? 0) + count);
  const notShipped = [...arriving.keys()].filter(
    (model) => !shipment.lines.some((line) => line.model === model),
  );
  if (notShipped.length > 0) throw modelNotOnShipment(shipment.id, notShipped);
  const excess = shipment.lines.flatMap((line) => {
    const attempted = arriving.get(line.model) ?? 0;
    const alreadyReceived = line.received + line.damaged;
    return alreadyReceived + attempted > line.quantity
      ? [{ model: line.model, shipped: line.quantity, alreadyReceived, attempted }]
      : [];
  });
  if (excess.length > 0) throw receiptExceedsShipment(shipment.id, excess);

  const common = {
    shipmentId: shipment.id,
    orderId: order.orderId,
    facilityId: order.facilityId,
    receiptId: data.receiptId,
  };
  const received = partsOf(data.units);
  const damaged = partsOf(data.damaged);
  const events: ProcurementEvent[] = [
    ...received.map((units, index): ShipmentUnitsReceived => ({
      type: 'ShipmentUnitsReceived',
      data: { ...common, part: index + 1, parts: received.length, units },
    })),
    ...damaged.map((units, index): ShipmentUnitsDamaged => ({
      type: 'ShipmentUnitsDamaged',
      data: { ...common, part: index + 1, parts: damaged.length, units },
    })),
  ];
  return [...events, ...fulfilmentAfter(state, events, data.receivedAt)];
}

function cancelOrder({ data }: CancelOrder, state: OrderState): ProcurementEvent[] {
  const order = requireOrder(state, data.orderId);
  requireOpen(order);
  const cancelledLines = order.lines
    .filter((line) => outstandingOf(line) > 0)
    .map((line) => ({ model: line.model, quantity: outstandingOf(line) }));
  if (cancelledLines.length === 0) throw nothingToCancel(order.orderId);
  const events: ProcurementEvent[] = [
    {
      type: 'PurchaseOrderCancelled',
      data: {
        orderId: order.orderId,
        facilityId: order.facilityId,
        ...(data.reason === undefined ? {} : { reason: data.reason }),
        cancelledLines,
      },
    },
  ];
  return [...events, ...fulfilmentAfter(state, events, data.cancelledAt)];
}

/**
 * `PurchaseOrderFulfilled` when the command's events leave no unit awaited: the last receipt, or a
 * cancellation of everything not shipped once all shipped units have arrived.
 */
function fulfilmentAfter(
  before: OrderState,
  events: readonly ProcurementEvent[],
  at: string,
): PurchaseOrderFulfilled[] {
  const after = events.reduce(evolveOrder, before);
  if (after.status !== 'fulfilled') return [];
  return [
    {
      type: 'PurchaseOrderFulfilled',
      data: {
        orderId: after.orderId,
        facilityId: after.facilityId,
        ...arrivedOf(after.lines),
        fulfilledAt: at,
      },
    },
  ];
}

function decideOrder(command: OrderCommand, state: OrderState): ProcurementEvent[] {
  switch (command.type) {
    case 'PlaceOrder':
      return placeOrder(command, state);
    case 'DispatchShipment':
      return dispatchShipment(command, state);
    case 'DelayShipment':
      return delayShipment(command, state);
    case 'ReceiveShipment':
      return receiveShipment(command, state);
    case 'CancelOrder':
      return cancelOrder(command, state);
  }
}

/** One purchase order, its shipments and its receipts: stream `order-<orderId>`. */
export const orderDecider: Decider<OrderCommand, OrderState, ProcurementEvent> = {
  initialState: initialOrderState,
  decide: decideOrder,
  evolve: evolveOrder,
};
