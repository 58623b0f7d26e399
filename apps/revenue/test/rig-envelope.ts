import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@fleet/contracts';

/** An event of power or inventory about a facility's rigs, as their relays would publish it. */
export function rigEnvelope(
  type: string,
  facilityId: string,
  occurredAt: string,
  data: Record<string, unknown>,
): EventEnvelope {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    streamId: `facility-${facilityId}`,
    streamVersion: 1,
    position: '1',
    occurredAt,
    facilityId,
    actor: 'operations:test',
    correlationId: `corr-${randomUUID()}`,
    causationId: null,
    data: { facilityId, ...data },
  };
}

/** `count` racked rigs of a model as power's events list them. */
export function poweredRigs(count: number, model = 'asicminer-8-nano') {
  return Array.from({ length: count }, (_, index) => ({
    rigId: randomUUID(),
    rack: 'A-1',
    slot: index + 1,
    model,
    itWatts: 2100,
  }));
}
