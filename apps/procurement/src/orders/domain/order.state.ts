import type { Money, ProcurementEvent, PurchaseOrderPlaced, ShipmentDispatched } from '@fleet/contracts';

/**
 * Order statuses, derived from the per-model counts (never stored independently of them):
 * - `placed`: nothing shipped yet;
 * - `partially_shipped`: some of the outstanding units are on their way;
 * - `shipped`: every unit not cancelled is shipped, none received yet;
 * - `partially_received`: some units received or recorded damaged;
 * - `fulfilled`: every unit not cancelled is received or recorded damaged (terminal);
 * - `cancelled`: every unit was cancelled before it shipped (terminal).
 * An order cancelled after part of it shipped stays open until the shipped part arrives, then is
 * fulfilled; its lines show what was cancelled.
 */
export const ORDER_STATUSES = [
  'placed',
  'partially_shipped',
  'shipped',
  'partially_received',
  'fulfilled',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Shipment statuses: `in_transit` until its ETA moves (`delayed`) or units arrive
 * (`partially_received`, then `received` once every shipped unit is received or damaged).
 */
export const SHIPMENT_STATUSES = ['in_transit', 'delayed', 'partially_received', 'received'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export interface LineCounts {
  readonly quantity: number;
  readonly shipped: number;
  readonly received: number;
  readonly damaged: number;
  readonly cancelled: number;
}

export interface OrderLineState extends LineCounts {
  readonly model: string;
  readonly unitPrice: Money;
}

/** An order's lines as placed: nothing shipped, received, damaged or cancelled yet. */
export function placedLines(lines: PurchaseOrderPlaced['data']['lines']): OrderLineState[] {
  return lines.map(({ model, quantity, unitPrice }) => ({
    model,
    quantity,
    unitPrice,
    shipped: 0,
    received: 0,
    damaged: 0,
    cancelled: 0,
  }));
}

export interface ShipmentLineState {
  readonly model: string;
  readonly quantity: number;
  readonly received: number;
  readonly damaged: number;
}

/** What a shipment's own events change, in the decider's state and in its row alike. */
export interface ShipmentProgress {
  readonly lines: readonly ShipmentLineState[];
  readonly eta: string;
  readonly status: ShipmentStatus;
}

export interface ShipmentState extends ShipmentProgress {
  readonly id: string;
}

export interface PurchaseOrder {
  readonly status: OrderStatus;
  readonly orderId: string;
  readonly facilityId: string;
  readonly lines: readonly OrderLineState[];
  readonly shipments: readonly ShipmentState[];
}

/**
 * The aggregate's state. Plain arrays and records only, so that it survives JSON as a snapshot
 * unchanged; an order has at most 100 lines and a few dozen shipments, so linear lookups are fine.
 */
export type OrderState = { readonly status: 'none' } | PurchaseOrder;

export const initialOrderState = (): OrderState => ({ status: 'none' });

/** The facility of a placed order; every command that appends leaves the order placed. */
export function facilityOf(state: OrderState): string {
  if (state.status === 'none') throw new Error('an order that was never placed has no facility');
  return state.facilityId;
}

/** Units that may still be shipped (or cancelled) on a line. */
export const outstandingOf = (line: LineCounts): number => line.quantity - line.shipped - line.cancelled;

export function orderStatusOf(lines: readonly LineCounts[]): OrderStatus {
  let due = 0;
  let shipped = 0;
  let arrived = 0;
  for (const line of lines) {
    due += line.quantity - line.cancelled;
    shipped += line.shipped;
    arrived += line.received + line.damaged;
  }
  if (due === 0) return 'cancelled';
  if (arrived === due) return 'fulfilled';
  if (arrived > 0) return 'partially_received';
  if (shipped === due) return 'shipped';
  if (shipped > 0) return 'partially_shipped';
  return 'placed';
}

export function shipmentStatusOf(
  lines: readonly ShipmentLineState[],
  previous: ShipmentStatus,
): ShipmentStatus {
  let shipped = 0;
  let arrived = 0;
  for (const line of lines) {
    shipped += line.quantity;
    arrived += line.received + line.damaged;
  }
  if (arrived === 0) return previous === 'delayed' ? 'delayed' : 'in_transit';
  return arrived === shipped ? 'received' : 'partially_received';
}

/** Units per model in a list of units. */
export function countByModel(units: readonly { readonly model: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const unit of units) counts.set(unit.model, (counts.get(unit.model) ?? 0) + 1);
  return counts;
}

type Units = readonly { readonly model: string }[];

/**
 * The units of a receipt event per model, counted once per event: its order's lines and its
 * shipment's lines both add them (in the decider's evolve and in both projections), and a receipt
 * event carries up to 1,000 units. Events are immutable, so the count is kept with the units list.
 */
const unitsCounted = new WeakMap<Units, ReadonlyMap<string, number>>();
function unitsByModel(units: Units): ReadonlyMap<string, number> {
  let counts = unitsCounted.get(units);
  if (!counts) unitsCounted.set(units, (counts = countByModel(units)));
  return counts;
}

const quantitiesByModel = (
  lines: readonly { readonly model: string; readonly quantity: number }[],
): Map<string, number> => new Map(lines.map((line) => [line.model, line.quantity]));

type Counter = 'shipped' | 'received' | 'damaged' | 'cancelled';

function addToLines<L extends { readonly model: string }>(
  lines: readonly L[],
  counter: keyof L & Counter,
  byModel: ReadonlyMap<string, number>,
): L[] {
  return lines.map((line) => {
    const added = byModel.get(line.model);
    return added ? { ...line, [counter]: (line[counter] as number) + added } : line;
  });
}

/*
 * The folds below are shared by the decider's state and the `orders` and `shipments` rows, so that
 * the counts and statuses the API shows are the ones the decider decides on.
 */

/** An order's lines after one of its events: what it ships, receives, records damaged or cancels. */
export function orderLinesAfter(
  lines: readonly OrderLineState[],
  event: ProcurementEvent,
): readonly OrderLineState[] {
  switch (event.type) {
    case 'ShipmentDispatched':
      return addToLines(lines, 'shipped', quantitiesByModel(event.data.lines));
    case 'ShipmentUnitsReceived':
      return addToLines(lines, 'received', unitsByModel(event.data.units));
    case 'ShipmentUnitsDamaged':
      return addToLines(lines, 'damaged', unitsByModel(event.data.units));
    case 'PurchaseOrderCancelled':
      return addToLines(lines, 'cancelled', quantitiesByModel(event.data.cancelledLines));
    default:
      return lines;
  }
}

/** A shipment as dispatched: nothing received yet. */
export function dispatchedShipment(data: ShipmentDispatched['data']): ShipmentState {
  return {
    id: data.shipmentId,
    lines: data.lines.map(({ model, quantity }) => ({ model, quantity, received: 0, damaged: 0 })),
    eta: data.eta,
    status: 'in_transit',
  };
}

/** A shipment after a delay or a receipt part of its own (other events leave it as it is). */
export function shipmentAfter<S extends ShipmentProgress>(shipment: S, event: ProcurementEvent): S {
  switch (event.type) {
    case 'ShipmentDelayed':
      return {
        ...shipment,
        eta: event.data.eta,
        status: shipment.status === 'in_transit' ? 'delayed' : shipment.status,
      };
    case 'ShipmentUnitsReceived':
    case 'ShipmentUnitsDamaged': {
      const counter = event.type === 'ShipmentUnitsReceived' ? 'received' : 'damaged';
      const lines = addToLines(shipment.lines, counter, unitsByModel(event.data.units));
      return { ...shipment, lines, status: shipmentStatusOf(lines, shipment.status) };
    }
    default:
      return shipment;
  }
}

/** Units received and units recorded damaged, over an order's or a shipment's lines. */
export function arrivedOf(lines: readonly { readonly received: number; readonly damaged: number }[]): {
  received: number;
  damaged: number;
} {
  let received = 0;
  let damaged = 0;
  for (const line of lines) {
    received += line.received;
    damaged += line.damaged;
  }
  return { received, damaged };
}

function shipmentsAfter(
  shipments: readonly ShipmentState[],
  event: ProcurementEvent,
): readonly ShipmentState[] {
  if (event.type === 'ShipmentDispatched') return [...shipments, dispatchedShipment(event.data)];
  if (!('shipmentId' in event.data)) return shipments;
  const { shipmentId } = event.data;
  return shipments.map((shipment) =>
    shipment.id === shipmentId ? shipmentAfter(shipment, event) : shipment,
  );
}

export function evolveOrder(state: OrderState, event: ProcurementEvent): OrderState {
  if (event.type === 'PurchaseOrderPlaced') {
    const { orderId, facilityId, lines } = event.data;
    return {
      status: 'placed',
      orderId,
      facilityId,
      lines: placedLines(lines),
      shipments: [],
    };
  }
  // Every other event belongs to an order that exists; a stream never starts with one of them.
  if (state.status === 'none') return state;
  // `PurchaseOrderFulfilled` changes nothing here: the status already follows from the counts, the
  // event announces it to other services.
  const lines = orderLinesAfter(state.lines, event);
  return { ...state, lines, status: orderStatusOf(lines), shipments: shipmentsAfter(state.shipments, event) };
}
