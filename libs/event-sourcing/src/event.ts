/** A domain event as deciders see it: a plain readonly record. */
export interface Event<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * The W3C trace context (https://www.w3.org/TR/trace-context/) an event was appended in, when
 * tracing was on: how one request's trace goes on through the relay and other services' consumers.
 */
export interface TraceContext {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/** Who did it, why, and when; stored with every event. */
export interface EventMetadata extends TraceContext {
  readonly correlationId: string;
  readonly causationId: string | null;
  /** The API key's role and name, or `service:<name>` for a saga step. */
  readonly actor: string;
  readonly facilityId: string;
  /** ISO-8601. */
  readonly occurredAt: string;
}

/**
 * An event as stored: the event plus where it sits and its metadata. Distributes over a union of
 * events, so `switch (recorded.type)` narrows `recorded.data` in projections.
 */
export type RecordedEvent<E extends Event = Event> = E extends Event ? RecordedEventOf<E> : never;

interface RecordedEventOf<E extends Event> {
  readonly eventId: string;
  readonly type: E['type'];
  readonly schemaVersion: number;
  readonly data: E['data'];
  readonly streamId: string;
  readonly streamType: string;
  /** 1 for a stream's first event. */
  readonly streamVersion: number;
  /**
   * Unique across the store, and the checkpoint for `readAll({ after })`. Read-all order is commit
   * order, which on PostgreSQL may differ from numeric order.
   */
  readonly position: bigint;
  readonly metadata: EventMetadata;
}
