import { chunksOf } from '../database/sql';
import { driverErrorOf, isUniqueViolation } from '../database/unique-violation';
import { storedEventOf, type EventRow } from '../store/event-row';
import type {
  EventRowToInsert,
  EventStoreDialect,
  ReadAllPage,
  StoredEvent,
  StoredMetadata,
  StoredSnapshot,
} from '../store/event-store-dialect';
import * as statements from './sqlite-event-store.sql';

/** Rows per INSERT: few statements per append, far below SQLite's 32,766 bound parameters. */
const INSERT_CHUNK = 200;

/** better-sqlite3 hands over the position as a number, JSON as text and the instant as ISO text. */
type EventRecord = EventRow<number, string, string>;

const toStoredEvent = (row: EventRecord): StoredEvent =>
  storedEventOf(row, { json: (value) => JSON.parse(value) as unknown, instant: (value) => value });

/** readAll's parameters, in its statement's order. */
function readAllParameters(...[after, limit, types, maxBytes]: ReadAllPage): unknown[] {
  const parameters: unknown[] = types ? [after, JSON.stringify(types), limit] : [after, limit];
  if (maxBytes !== undefined) parameters.push(maxBytes);
  return parameters;
}

export const sqliteEventStoreDialect: EventStoreDialect = {
  name: 'sqlite',

  async insertEvents(sql, rows: readonly EventRowToInsert[]): Promise<bigint[]> {
    const positions: bigint[] = [];
    for (const chunk of chunksOf(rows, INSERT_CHUNK)) {
      const parameters = new Array<unknown>(chunk.length * statements.SQLITE_INSERT_PARAMETERS_PER_ROW);
      let i = 0;
      // The rows of one append share their metadata object: serialise it once.
      let metadata: StoredMetadata | undefined;
      let metadataJson = '';
      for (const row of chunk) {
        if (row.metadata !== metadata) {
          metadata = row.metadata;
          metadataJson = JSON.stringify(metadata);
        }
        parameters[i++] = row.streamId;
        parameters[i++] = row.streamType;
        parameters[i++] = row.streamVersion;
        parameters[i++] = row.eventId;
        parameters[i++] = row.type;
        parameters[i++] = row.schemaVersion;
        const data = JSON.stringify(row.data);
        parameters[i++] = data;
        parameters[i++] = Buffer.byteLength(data);
        parameters[i++] = metadataJson;
        parameters[i++] = row.occurredAt;
      }
      const inserted = await sql.query<{ position: number; event_id: string }[]>(
        statements.sqliteInsertEvents(chunk.length),
        parameters,
      );
      // RETURNING promises no order; match rows by their event id.
      const byEventId = new Map(inserted.map((row) => [row.event_id, row.position]));
      for (const row of chunk) {
        const position = byEventId.get(row.eventId);
        if (position === undefined) throw new Error(`event ${row.eventId} was not inserted`);
        positions.push(BigInt(position));
      }
    }
    return positions;
  },

  // One writer at a time: nothing can have been written by a transaction newer than the caller's.
  async streamHeads(sql, streamIds) {
    if (streamIds.length === 0) return new Map();
    const rows = await sql.query<{ stream_id: string; version: number | null }[]>(
      statements.SQLITE_STREAM_VERSIONS,
      [JSON.stringify(streamIds)],
    );
    return new Map(
      rows.flatMap((row) =>
        row.version === null
          ? []
          : [[row.stream_id, { version: row.version, writtenByNewerTransaction: false }] as const],
      ),
    );
  },

  // Two statements, consistent because every SQLite operation holds the database lock.
  async readStream(sql, streamId, afterVersion, maxCount) {
    const rows = await sql.query<EventRecord[]>(statements.SQLITE_READ_STREAM, [
      streamId,
      afterVersion,
      maxCount ?? -1,
    ]);
    const events = rows.map(toStoredEvent);
    if (maxCount === undefined && events.length > 0)
      return { events, version: events[events.length - 1].streamVersion };
    const [row] = await sql.query<{ version: number }[]>(statements.SQLITE_STREAM_VERSION, [streamId]);
    return { events, version: row.version };
  },

  async readAll(sql, after, limit, types, maxBytes) {
    const rows = await sql.query<EventRecord[]>(
      statements.sqliteReadAll({ filterTypes: types !== undefined, maxBytes: maxBytes !== undefined }),
      readAllParameters(after, limit, types, maxBytes),
    );
    return rows.map(toStoredEvent);
  },

  async countAfter(sql, after, limit) {
    const [row] = await sql.query<{ pending: number }[]>(statements.SQLITE_COUNT_AFTER, [after, limit]);
    return row.pending;
  },

  async positionExists(sql, position) {
    const rows = await sql.query<unknown[]>(statements.SQLITE_POSITION_EXISTS, [position]);
    return rows.length > 0;
  },

  async headPosition(sql) {
    const [row] = await sql.query<{ position: number }[]>(statements.SQLITE_HEAD_POSITION);
    return BigInt(row.position);
  },

  // One writer at a time: a committed event is readable at once.
  async countHeldBack() {
    return 0;
  },

  async heldBack() {
    return { events: 0 };
  },

  async loadSnapshot(sql, streamId, schemaVersion): Promise<StoredSnapshot | undefined> {
    const [row] = await sql.query<{ version: number; state: string }[]>(statements.SQLITE_LOAD_SNAPSHOT, [
      streamId,
      schemaVersion,
    ]);
    return row ? { version: row.version, state: JSON.parse(row.state) as unknown } : undefined;
  },

  async saveSnapshot(sql, snapshot) {
    await sql.query(statements.SQLITE_SAVE_SNAPSHOT, [
      snapshot.streamId,
      snapshot.version,
      snapshot.schemaVersion,
      JSON.stringify(snapshot.state),
      new Date().toISOString(),
    ]);
  },

  conflictingStream(error) {
    if (!isUniqueViolation(error)) return undefined;
    const message = driverErrorOf(error)?.message;
    if (typeof message !== 'string' || !message.includes(statements.SQLITE_STREAM_VERSION_VIOLATION))
      return undefined;
    // SQLite does not say which row collided.
    return null;
  },
};
