import type { StoredEvent, StoredMetadata } from './event-store-dialect';

/**
 * A row of `events` as a driver returns it. The two databases differ only in how a position, the
 * JSON columns and the instant arrive (pg: bigint text, parsed jsonb, Date; better-sqlite3: number,
 * JSON text, ISO text).
 */
export interface EventRow<Position, Json, Instant> {
  readonly position: Position;
  readonly stream_id: string;
  readonly stream_type: string;
  readonly stream_version: number;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: Json;
  readonly metadata: Json;
  readonly occurred_at: Instant;
}

export interface EventRowDecoding<Json, Instant> {
  json(value: Json): unknown;
  instant(value: Instant): string;
}

export function storedEventOf<Json, Instant>(
  row: EventRow<string | number, Json, Instant>,
  decoding: EventRowDecoding<Json, Instant>,
): StoredEvent {
  return {
    position: BigInt(row.position),
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: decoding.json(row.data),
    metadata: decoding.json(row.metadata) as StoredMetadata,
    occurredAt: decoding.instant(row.occurred_at),
  };
}
