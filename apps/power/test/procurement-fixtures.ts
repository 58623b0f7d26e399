import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { PROCUREMENT_EVENTS, type EventEnvelope, type ProcurementEvent } from '@fleet/contracts';
import { encodeEnvelope, envelopeHeaders } from '@fleet/messaging';
import type { PowerApp } from './power-app';

/** A procurement event of order `orderId`'s stream as procurement's relay publishes it. */
export function procurementEnvelope(
  event: ProcurementEvent,
  streamVersion: number,
): EventEnvelope<ProcurementEvent['data']> {
  const definition = PROCUREMENT_EVENTS.find((candidate) => candidate.type === event.type);
  return {
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: definition?.version ?? 1,
    streamId: `order-${event.data.orderId}`,
    streamVersion,
    position: String(streamVersion),
    occurredAt: new Date().toISOString(),
    facilityId: event.data.facilityId,
    actor: 'procurement:test',
    correlationId: `corr-${randomUUID()}`,
    causationId: null,
    data: event.data,
  };
}

/** Publishes to the (namespaced) procurement stream as procurement's relay would. */
export async function publishProcurementEvent(power: PowerApp, envelope: EventEnvelope): Promise<void> {
  await jetstream(power.nats).publish(
    power.names.subjectOf('procurement', envelope.facilityId, envelope.type),
    encodeEnvelope(envelope),
    { msgID: envelope.eventId, headers: envelopeHeaders(envelope) },
  );
}
