import { z } from 'zod';

/**
 * What travels on JetStream and through `GET /events`: one committed event with everything a
 * consumer needs to process it idempotently and trace it.
 */
export const EventEnvelope = z.object({
  eventId: z.uuid(),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  streamId: z.string().min(1),
  streamVersion: z.number().int().positive(),
  /** Global position in the producing service's store, a decimal string (bigint). */
  position: z.string().regex(/^\d+$/),
  occurredAt: z.iso.datetime({ offset: true }),
  facilityId: z.string().min(1),
  actor: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().nullable(),
  /**
   * The W3C trace context the event was appended in (https://www.w3.org/TR/trace-context/), when
   * the producing service traces: a reader of `GET /events` can link its work to that trace. On
   * JetStream the message's `traceparent` header is the one to follow (the publish, its child).
   */
  traceparent: z.string().optional(),
  tracestate: z.string().optional(),
  data: z.unknown(),
});
export type EventEnvelope<Data = unknown> = Omit<z.infer<typeof EventEnvelope>, 'data'> & { data: Data };

/** JetStream header names Fleet sets besides `Nats-Msg-Id`. */
export const FleetHeaders = {
  eventType: 'Fleet-Event-Type',
  schemaVersion: 'Fleet-Schema-Version',
  correlationId: 'Fleet-Correlation-Id',
  causationId: 'Fleet-Causation-Id',
} as const;

/** A page of events served over HTTP by position, for consumers that fall behind retention. */
export const EventPage = z.object({
  items: z.array(EventEnvelope),
  /** Pass as `after` to read on; null when there is nothing more right now. */
  nextAfter: z.string().nullable(),
});
export type EventPage = z.infer<typeof EventPage>;
