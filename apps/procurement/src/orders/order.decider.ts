import {
  MAX_RECEIPT_EVENT_UNITS_BYTES,
  MAX_UNITS_PER_RECEIPT_EVENT,
  type ProcurementEvent,
  type PurchaseOrderFulfilled,
  type ShipmentUnitsDamaged,
  type ShipmentUnitsReceived,
} from '@fleet/contracts';
import { DomainError, type Decider, type SnapshotPolicy } from '@fleet/event-sourcing';
import type {
  CancelOrder,
  DelayShipment,
  DispatchShipment,
  OrderCommand,
  PlaceOrder,
  ReceiveShipment,
} from './order.commands';
import {
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

function requireOrder(state: OrderState, orderId: string): PurchaseOrder {
  if (state.status === 'none')
    throw new DomainError('not_found', 'order-not-found', `order ${orderId} not found`);
  return state;
}

function requireShipment(order: PurchaseOrder, shipmentId: string): ShipmentState {
  const shipment = order.shipments.find((candidate) => candidate.id === shipmentId);
  if (!shipment)
    throw new DomainError(
      'not_found',
      'shipment-not-found',
      `shipment ${shipmentId} is not a shipment of order ${order.orderId}`,
    );
  return shipment;
}

function requireOpen(order: PurchaseOrder): void {
  if (order.status === 'fulfilled' || order.status === 'cancelled')
    throw new DomainError('conflict', `order-${order.status}`, `order ${order.orderId} is ${order.status}`, {
      status: order.status,
    });
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

function refuseDuplicateModels(lines: readonly { readonly model: string }[], what: string): void {
  const duplicates = duplicatesOf(lines.map((line) => line.model));
  if (duplicates.length > 0)
    throw new DomainError(
      'invalid',
      `duplicate-${what}-lines`,
      `each model may appear once per ${what}; repeated: ${duplicates.join(', ')}`,
      { models: duplicates },
    );
}

function placeOrder({ data }: PlaceOrder, state: OrderState): ProcurementEvent[] {
  if (state.status !== 'none')
    throw new DomainError('conflict', 'order-already-exists', `order ${data.orderId} already exists`);
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
    throw new DomainError(
      'conflict',
      'shipment-already-exists',
      `shipment ${data.shipmentId} already exists`,
    );
  refuseDuplicateModels(data.lines, 'shipment');

  const notOrdered = data.lines
    .filter((line) => !order.lines.some((ordered) => ordered.model === line.model))
    .map((line) => line.model);
  if (notOrdered.length > 0)
    throw new DomainError(
      'conflict',
      'model-not-ordered',
      `order ${order.orderId} has no line for ${notOrdered.join(', ')}`,
      { models: notOrdered },
    );
  const excess = data.lines.flatMap((line) => {
    const ordered = order.lines.find((candidate) => candidate.model === line.model);
    const outstanding = ordered ? outstandingOf(ordered) : 0;
    return line.quantity > outstanding ? [{ model: line.model, requested: line.quantity, outstanding }] : [];
  });
  if (excess.length > 0)
    throw new DomainError(
      'conflict',
      'shipment-exceeds-order',
      `a shipment can only carry units ordered and neither shipped nor cancelled yet: ${excess
        .map((line) => `${line.requested} × ${line.model} requested, ${line.outstanding} outstanding`)
        .join('; ')}`,
      { lines: excess },
    );

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
  if (shipment.status === 'received')
    throw new DomainError(
      'conflict',
      'shipment-already-received',
      `shipment ${shipment.id} is fully received; there is nothing left to delay`,
    );
  // Calendar dates (YYYY-MM-DD) order lexicographically.
  if (data.eta <= shipment.eta)
    throw new DomainError(
      'conflict',
      'eta-not-later',
      `a delay must move the ETA later than ${shipment.eta}, not to ${data.eta}`,
      { currentEta: shipment.eta, requestedEta: data.eta },
    );
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
  if (data.units.length + data.damaged.length === 0)
    throw new DomainError(
      'invalid',
      'empty-receipt',
      'a receipt needs at least one unit, received or damaged',
    );

  const repeated = duplicatesOf(
    (function* () {
      for (const unit of data.units) yield unit.serialNumber;
      for (const unit of data.damaged) yield unit.serialNumber;
    })(),
  );
  if (repeated.length > 0)
    throw new DomainError(
      'invalid',
      'duplicate-serials',
      `each serial number may appear once per receipt (units and damaged together); repeated: ${repeated
        .slice(0, 20)
        .join(', ')}${repeated.length > 20 ? ` and ${repeated.length - 20} more` : ''}`,
      { serials: repeated },
    );

  const arriving = countByModel(data.units);
  for (const [model, count] of countByModel(data.damaged))
    arriving.set(model, (arriving.get(model) ?? 0) + count);
  const notShipped = [...arriving.keys()].filter(
    (model) => !shipment.lines.some((line) => line.model === model),
  );
  if (notShipped.length > 0)
    throw new DomainError(
      'conflict',
      'model-not-on-shipment',
      `shipment ${shipment.id} carries no ${notShipped.join(', ')}`,
      { models: notShipped },
    );
  const excess = shipment.lines.flatMap((line) => {
    const attempted = arriving.get(line.model) ?? 0;
    const alreadyReceived = line.received + line.damaged;
    return alreadyReceived + attempted > line.quantity
      ? [{ model: line.model, shipped: line.quantity, alreadyReceived, attempted }]
      : [];
  });
  if (excess.length > 0)
    throw new DomainError(
      'conflict',
      'receipt-exceeds-shipment',
      `more units than shipment ${shipment.id} carries: ${excess
        .map(
          (line) =>
            `${line.model}: ${line.attempted} arriving, ${line.shipped} shipped, ${line.alreadyReceived} already received or damaged`,
        )
        .join('; ')}`,
      { lines: excess },
    );

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
  if (cancelledLines.length === 0)
    throw new DomainError(
      'conflict',
      'nothing-to-cancel',
      `every unit of order ${order.orderId} is shipped or cancelled already`,
    );
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
  let received = 0;
  let damaged = 0;
  for (const line of after.lines) {
    received += line.received;
    damaged += line.damaged;
  }
  return [
    {
      type: 'PurchaseOrderFulfilled',
      data: { orderId: after.orderId, facilityId: after.facilityId, received, damaged, fulfilledAt: at },
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
