import { PROCUREMENT_EVENTS, type EventEnvelope, type ProcurementEvent } from '@fleet/contracts';
import { PoisonMessageError } from '@fleet/messaging';
import type { EntityManager } from 'typeorm';
import {
  addToOrderLine,
  addToShipmentLine,
  upsertOrder,
  upsertShipmentEta,
} from '../../read-model/forecast.sql';

/** The envelope is not a procurement event this code can read: retrying will not help. */
export class UnreadableProcurementEventError extends PoisonMessageError {
  constructor(envelope: Pick<EventEnvelope, 'eventId' | 'type' | 'schemaVersion'>, why: string) {
    super(
      `cannot follow procurement event ${envelope.eventId} (${envelope.type} v${envelope.schemaVersion}): ${why}`,
    );
    this.name = 'UnreadableProcurementEventError';
  }
}

/** Quantities per model: an order may name a model on several lines, a receipt lists units one by one. */
function perModel(
  items: readonly { readonly model: string; readonly quantity?: number }[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.model, (counts.get(item.model) ?? 0) + (item.quantity ?? 1));
  return counts;
}

/**
 * What procurement's event says is coming, into the forecast's tables, in the consumer's
 * transaction (its inbox row makes a redelivery a no-op, so counters are added to exactly once).
 */
export async function followProcurementEvent(manager: EntityManager, envelope: EventEnvelope): Promise<void> {
  const event = readProcurementEvent(envelope);
  switch (event.type) {
    case 'PurchaseOrderPlaced': {
      const { orderId, facilityId } = event.data;
      await upsertOrder(manager, orderId, facilityId, event.data.expectedDelivery ?? null);
      for (const [model, ordered] of perModel(event.data.lines))
        await addToOrderLine(manager, { orderId, model, facilityId }, { ordered });
      return;
    }
    case 'PurchaseOrderCancelled': {
      const { orderId, facilityId } = event.data;
      for (const [model, cancelled] of perModel(event.data.cancelledLines))
        await addToOrderLine(manager, { orderId, model, facilityId }, { cancelled });
      return;
    }
    case 'ShipmentDispatched': {
      const { shipmentId, orderId, facilityId } = event.data;
      await upsertShipmentEta(
        manager,
        { shipmentId, orderId, facilityId },
        event.data.eta,
        envelope.streamVersion,
      );
      for (const [model, dispatched] of perModel(event.data.lines)) {
        await addToOrderLine(manager, { orderId, model, facilityId }, { dispatched });
        await addToShipmentLine(manager, { shipmentId, model, orderId, facilityId }, { dispatched });
      }
      return;
    }
    case 'ShipmentDelayed': {
      const { shipmentId, orderId, facilityId } = event.data;
      await upsertShipmentEta(
        manager,
        { shipmentId, orderId, facilityId },
        event.data.eta,
        envelope.streamVersion,
      );
      return;
    }
    case 'ShipmentUnitsReceived':
    case 'ShipmentUnitsDamaged': {
      const { shipmentId, orderId, facilityId } = event.data;
      const counter = event.type === 'ShipmentUnitsReceived' ? 'received' : 'damaged';
      for (const [model, units] of perModel(event.data.units))
        await addToShipmentLine(manager, { shipmentId, model, orderId, facilityId }, { [counter]: units });
      return;
    }
    case 'PurchaseOrderFulfilled':
      return;
  }
}

function readProcurementEvent(envelope: EventEnvelope): ProcurementEvent {
  const definition = PROCUREMENT_EVENTS.find((candidate) => candidate.type === envelope.type);
  if (!definition || definition.version !== envelope.schemaVersion)
    throw new UnreadableProcurementEventError(envelope, 'not a procurement event of a version power reads');
  const parsed = definition.schema.safeParse(envelope.data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new UnreadableProcurementEventError(envelope, issues.join('; '));
  }
  return { type: definition.type, data: parsed.data } as ProcurementEvent;
}
