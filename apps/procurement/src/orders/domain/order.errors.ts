import { DomainError, UniquenessViolationError } from '@fleet/event-sourcing';

/*
 * The purchase order's refusals, one constructor per problem code: the decider and the read model
 * raise the same `order-not-found`, and a client can rely on each code meaning one thing.
 */

/** Long lists (serials of a 20,000-unit receipt) are cut in messages; `details` keeps them whole. */
function listed(values: readonly string[]): string {
  const shown = values.slice(0, 20).join(', ');
  return values.length > 20 ? `${shown} and ${values.length - 20} more` : shown;
}

export const orderNotFound = (orderId: string): DomainError =>
  new DomainError('not_found', 'order-not-found', `order ${orderId} not found`);

/** Without an order, the shipment id itself is unknown; with one, it is not among its shipments. */
export const shipmentNotFound = (shipmentId: string, orderId?: string): DomainError =>
  new DomainError(
    'not_found',
    'shipment-not-found',
    orderId === undefined
      ? `shipment ${shipmentId} not found`
      : `shipment ${shipmentId} is not a shipment of order ${orderId}`,
  );

export const orderClosed = (orderId: string, status: 'fulfilled' | 'cancelled'): DomainError =>
  new DomainError('conflict', `order-${status}`, `order ${orderId} is ${status}`, { status });

export const orderAlreadyExists = (orderId: string): DomainError =>
  new DomainError('conflict', 'order-already-exists', `order ${orderId} already exists`);

export const duplicateLines = (what: 'order' | 'shipment', models: readonly string[]): DomainError =>
  new DomainError(
    'invalid',
    `duplicate-${what}-lines`,
    `each model may appear once per ${what}; repeated: ${models.join(', ')}`,
    { models },
  );

export const shipmentAlreadyExists = (shipmentId: string): DomainError =>
  new DomainError('conflict', 'shipment-already-exists', `shipment ${shipmentId} already exists`);

export const modelNotOrdered = (orderId: string, models: readonly string[]): DomainError =>
  new DomainError('conflict', 'model-not-ordered', `order ${orderId} has no line for ${models.join(', ')}`, {
    models,
  });

export interface ShipmentExcess {
  readonly model: string;
  readonly requested: number;
  readonly outstanding: number;
}

/** A 409 naming each line that asks for more units than there are. */
function tooMany<Line>(
  code: string,
  lead: string,
  lines: readonly Line[],
  describe: (line: Line) => string,
): DomainError {
  return new DomainError('conflict', code, `${lead}: ${lines.map(describe).join('; ')}`, { lines });
}

export const shipmentExceedsOrder = (lines: readonly ShipmentExcess[]): DomainError =>
  tooMany(
    'shipment-exceeds-order',
    'a shipment can only carry units ordered and neither shipped nor cancelled yet',
    lines,
    (line) => `${line.requested} × ${line.model} requested, ${line.outstanding} outstanding`,
  );

export const shipmentAlreadyReceived = (shipmentId: string): DomainError =>
  new DomainError(
    'conflict',
    'shipment-already-received',
    `shipment ${shipmentId} is fully received; there is nothing left to delay`,
  );

export const etaNotLater = (currentEta: string, requestedEta: string): DomainError =>
  new DomainError(
    'conflict',
    'eta-not-later',
    `a delay must move the ETA later than ${currentEta}, not to ${requestedEta}`,
    { currentEta, requestedEta },
  );

export const emptyReceipt = (): DomainError =>
  new DomainError('invalid', 'empty-receipt', 'a receipt needs at least one unit, received or damaged');

export const duplicateSerials = (serials: readonly string[]): DomainError =>
  new DomainError(
    'invalid',
    'duplicate-serials',
    `each serial number may appear once per receipt (units and damaged together); repeated: ${listed(serials)}`,
    { serials },
  );

export const modelNotOnShipment = (shipmentId: string, models: readonly string[]): DomainError =>
  new DomainError(
    'conflict',
    'model-not-on-shipment',
    `shipment ${shipmentId} carries no ${models.join(', ')}`,
    { models },
  );

export interface ReceiptExcess {
  readonly model: string;
  readonly shipped: number;
  readonly alreadyReceived: number;
  readonly attempted: number;
}

export const receiptExceedsShipment = (shipmentId: string, lines: readonly ReceiptExcess[]): DomainError =>
  tooMany(
    'receipt-exceeds-shipment',
    `more units than shipment ${shipmentId} carries`,
    lines,
    (line) =>
      `${line.model}: ${line.attempted} arriving, ${line.shipped} shipped, ${line.alreadyReceived} already received or damaged`,
  );

export const nothingToCancel = (orderId: string): DomainError =>
  new DomainError(
    'conflict',
    'nothing-to-cancel',
    `every unit of order ${orderId} is shipped or cancelled already`,
  );

/** Serials are unique across all orders, which only the `received_serials` table can see. */
export const serialsReceivedBefore = (serials: readonly string[]): UniquenessViolationError =>
  new UniquenessViolationError(`serial numbers received before: ${listed(serials)}`, { serials });

export const serialReceivedConcurrently = (): UniquenessViolationError =>
  new UniquenessViolationError(
    'a serial number of this receipt was received by another receipt at the same moment; retry to see which',
    { serials: [] },
  );
