import type { EventMetadata } from '@fleet/event-sourcing';
import type { RequestContext } from './request-context';

/** The metadata of the events a request causes: who, in which facility, as part of what, when. */
export function eventMetadata(
  context: RequestContext,
  facilityId: string,
  causationId: string | null = null,
  now: Date = new Date(),
): EventMetadata {
  return {
    correlationId: context.correlationId,
    causationId,
    actor: context.actor,
    facilityId,
    occurredAt: now.toISOString(),
  };
}
