/** A domain event as deciders see it: a plain readonly record. */
export interface Event<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Who did it, why, and when; stored with every event. */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId: string | null;
  /** The API key's role and name, or `service:<name>` for a saga step. */
  readonly actor: string;
  readonly facilityId: string;
  /** ISO-8601. */
  readonly occurredAt: string;
}

/** An event as stored: the event plus where it sits and its metadata. */
export interface RecordedEvent<E extends Event = Event> {
  readonly eventId: string;
  readonly type: E['type'];
  readonly schemaVersion: number;
  readonly data: E['data'];
  readonly streamId: string;
  readonly streamType: string;
  /** 1 for a stream's first event. */
  readonly streamVersion: number;
  /** Unique across the store. Read-all order is commit order, which may differ from numeric order on PostgreSQL. */
  readonly position: bigint;
  readonly metadata: EventMetadata;
}
