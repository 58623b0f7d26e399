import type { EventMetadata } from '@fleet/event-sourcing';
import { businessNow } from '../clock/business-now';
import type { RequestContext } from './request-context';

/** The metadata of the events a request causes: who, in which facility, as part of what, when (business time). */
export function eventMetadata(
  context: RequestContext,
  facilityId: string,
  causationId: string | null = null,
  now: Date = businessNow(),
): EventMetadata {
  return {
    correlationId: context.correlationId,
    causationId,
    actor: context.actor,
    facilityId,
    occurredAt: now.toISOString(),
  };
}
