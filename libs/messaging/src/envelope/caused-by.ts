import type { EventEnvelope } from '@fleet/contracts';
import type { EventMetadata } from '@fleet/event-sourcing';

/**
 * Metadata for events a handler appends in reaction to `envelope`: the same correlation (one
 * business flow across services), the envelope's event as the cause, and the handler's actor.
 */
export function metadataCausedBy(
  envelope: Pick<EventEnvelope, 'eventId' | 'correlationId' | 'facilityId'>,
  actor: string,
  now: Date = new Date(),
): EventMetadata {
  return {
    correlationId: envelope.correlationId,
    causationId: envelope.eventId,
    actor,
    facilityId: envelope.facilityId,
    occurredAt: now.toISOString(),
  };
}
