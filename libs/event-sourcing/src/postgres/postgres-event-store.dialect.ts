import { preparedQuery } from '../database/prepared-query';
import { chunksOf } from '../database/sql';
import { driverErrorOf, isUniqueViolation } from '../database/unique-violation';
import { storedEventOf, type EventRow } from '../store/event-row';
import type {
  EventRowToInsert,
  EventStoreDialect,
  ReadAllPage,
  SqlExecutor,
  StoredEvent,
  StoredSnapshot,
  StreamHead,
} from '../store/event-store-dialect';
import * as statements from './postgres-event-store.sql';

/** Rows per INSERT: bounds the size of one JSON parameter (a few MB at most). */
const INSERT_CHUNK = 5000;

/** pg hands over the position as text, jsonb parsed and timestamptz as a Date. */
type EventRecord = EventRow<string, unknown, Date>;

const toStoredEvent = (row: EventRecord): StoredEvent =>
  storedEventOf(row, { json: (value) => value, instant: (value) => value.toISOString() });

const POSTGRES_DEADLOCK_DETECTED = '40P01';

/** statements.POSTGRES_HELD_BACK's row; NULL where nothing is held back, or where the role may not look. */
interface HeldBackRow {
  readonly held_back: number;
  readonly transaction_id: string | null;
  readonly pid: number | null;
  readonly state: string | null;
  readonly application_name: string | null;
  readonly database: string | null;
  readonly age_seconds: number | null;
}

/**
 * One row of the insert document. The data is serialised once, both into the document and to
 * measure it: `data_bytes` is the size of exactly what was stored.
 */
function insertRowJson(row: EventRowToInsert, { withMetadata = true } = {}): string {
  const data = JSON.stringify(row.data);
  const columns = JSON.stringify({
    stream_id: row.streamId,
    stream_type: row.streamType,
    stream_version: row.streamVersion,
    event_id: row.eventId,
    type: row.type,
    schema_version: row.schemaVersion,
    // Without: sent once for the whole append instead (`checkAndInsertEvents`).
    ...(withMetadata ? { metadata: row.metadata, occurred_at: row.occurredAt } : {}),
    data_bytes: Buffer.byteLength(data),
  });
  return `${columns.slice(0, -1)},"data":${data}}`;
}

/** readAll's parameters, in its statement's order. */
function readAllParameters(...[after, limit, types, maxBytes]: ReadAllPage): unknown[] {
  const parameters: unknown[] = [];
  if (after > 0n) parameters.push(after.toString());
  if (types) parameters.push(types);
  parameters.push(limit);
  if (maxBytes !== undefined) parameters.push(maxBytes);
  return parameters;
}

/** pg's detail for a unique violation: `Key (stream_id, stream_version)=(order-1, 3) already exists.` */
const CONFLICT_DETAIL = /^Key \(stream_id, stream_version\)=\((.*), \d+\) already exists\.$/s;

export const postgresEventStoreDialect: EventStoreDialect = {
  name: 'postgres',
  maxRowsPerStatement: INSERT_CHUNK,

  async checkAndInsertEvents(sql, streams, rows) {
    const [first] = rows;
    if (rows.some((row) => row.metadata !== first?.metadata || row.occurredAt !== first?.occurredAt))
      throw new Error('checkAndInsertEvents: the rows of one append share their metadata and time');
    const streamsDocument = JSON.stringify(
      streams.map((stream) => ({ stream_id: stream.streamId, expected: stream.expected ?? null })),
    );
    const result = await preparedQuery<{
      kind: 'head' | 'event';
      key: string;
      value: string | null;
      newer_writer: boolean | null;
    }>(sql, 'fleet_check_and_insert_events', statements.POSTGRES_CHECK_AND_INSERT_EVENTS, [
      streamsDocument,
      `[${rows.map((row) => insertRowJson(row, { withMetadata: false })).join(',')}]`,
      JSON.stringify(first?.metadata ?? {}),
      first?.occurredAt ?? new Date().toISOString(),
    ]);
    const heads = new Map<string, StreamHead>();
    const byEventId = new Map<string, string>();
    for (const row of result) {
      if (row.kind === 'event') byEventId.set(row.key, row.value ?? '');
      else if (row.value !== null)
        heads.set(row.key, {
          version: Number(row.value),
          writtenByNewerTransaction: row.newer_writer === true,
        });
    }
    if (byEventId.size === 0) return { heads, positions: undefined };
    // RETURNING promises no order; match rows by their event id.
    const positions = rows.map((row) => {
      const position = byEventId.get(row.eventId.toLowerCase());
      if (position === undefined) throw new Error(`event ${row.eventId} was not inserted`);
      return BigInt(position);
    });
    return { heads, positions };
  },

  async insertEvents(sql: SqlExecutor, rows: readonly EventRowToInsert[]): Promise<bigint[]> {
    const positions: bigint[] = [];
    for (const chunk of chunksOf(rows, INSERT_CHUNK)) {
      const document = `[${chunk.map((row) => insertRowJson(row)).join(',')}]`;
      const inserted = await sql.query<{ position: string; event_id: string }[]>(
        statements.POSTGRES_INSERT_EVENTS,
        [document],
      );
      // RETURNING promises no order; match rows by their event id.
      const byEventId = new Map(inserted.map((row) => [row.event_id, row.position]));
      for (const row of chunk) {
        const position = byEventId.get(row.eventId.toLowerCase());
        if (position === undefined) throw new Error(`event ${row.eventId} was not inserted`);
        positions.push(BigInt(position));
      }
    }
    return positions;
  },

  async streamHeads(sql, streamIds) {
    if (streamIds.length === 0) return new Map();
    const rows = await sql.query<
      { stream_id: string; version: number | null; newer_writer: boolean | null }[]
    >(statements.POSTGRES_STREAM_HEADS, [streamIds]);
    return new Map(
      rows.flatMap((row) =>
        row.version === null
          ? []
          : [
              [
                row.stream_id,
                { version: row.version, writtenByNewerTransaction: row.newer_writer === true },
              ] as const,
            ],
      ),
    );
  },

  async readStream(sql, streamId, afterVersion, maxCount) {
    const rows = await sql.query<(Partial<EventRecord> & { current_version: number })[]>(
      statements.POSTGRES_READ_STREAM,
      [streamId, afterVersion, maxCount ?? null],
    );
    const events = rows.filter(
      (row): row is EventRecord & { current_version: number } => row.position != null,
    );
    return { events: events.map(toStoredEvent), version: rows[0].current_version };
  },

  async readAll(sql, after, limit, types, maxBytes) {
    const query = statements.postgresReadAll({
      fromCheckpoint: after > 0n,
      filterTypes: types !== undefined,
      maxBytes: maxBytes !== undefined,
    });
    const rows = await sql.query<EventRecord[]>(query, readAllParameters(after, limit, types, maxBytes));
    return rows.map(toStoredEvent);
  },

  async countAfter(sql, after, limit) {
    const fromCheckpoint = after > 0n;
    const [row] = await sql.query<{ pending: number }[]>(
      statements.postgresCountAfter({ fromCheckpoint }),
      fromCheckpoint ? [after.toString(), limit] : [limit],
    );
    return row.pending;
  },

  async positionExists(sql, position) {
    const rows = await sql.query<unknown[]>(statements.POSTGRES_POSITION_EXISTS, [position.toString()]);
    return rows.length > 0;
  },

  async headPosition(sql) {
    const [row] = await sql.query<{ position: string }[]>(statements.POSTGRES_HEAD_POSITION);
    return row ? BigInt(row.position) : 0n;
  },

  async countHeldBack(sql) {
    const [row] = await sql.query<{ held_back: number }[]>(statements.POSTGRES_COUNT_HELD_BACK);
    return Number(row?.held_back ?? 0);
  },

  async heldBack(sql) {
    const [row] = await sql.query<HeldBackRow[]>(statements.POSTGRES_HELD_BACK);
    // The blocker may have ended between the count and the look at the open transactions.
    if (row.held_back === 0 || row.transaction_id === null) return { events: row.held_back };
    return {
      events: row.held_back,
      blocker: {
        transactionId: row.transaction_id,
        pid: row.pid ?? undefined,
        ageSeconds: row.age_seconds ?? undefined,
        state: row.state ?? undefined,
        application: row.application_name || undefined,
        database: row.database ?? undefined,
      },
    };
  },

  async loadSnapshot(sql, streamId, schemaVersion): Promise<StoredSnapshot | undefined> {
    const [row] = await sql.query<{ version: number; state: unknown }[]>(statements.POSTGRES_LOAD_SNAPSHOT, [
      streamId,
      schemaVersion,
    ]);
    return row ? { version: row.version, state: row.state } : undefined;
  },

  async saveSnapshot(sql, snapshot) {
    await sql.query(statements.POSTGRES_SAVE_SNAPSHOT, [
      snapshot.streamId,
      snapshot.version,
      snapshot.schemaVersion,
      JSON.stringify(snapshot.state),
    ]);
  },

  conflictingStream(error) {
    const driverError = driverErrorOf(error) as
      { code?: unknown; constraint?: unknown; detail?: unknown } | undefined;
    // Two appends that cross streams in opposite orders can deadlock on each other's uncommitted
    // keys; PostgreSQL aborts one, which is a conflict like any other: retry it.
    if (driverError?.code === POSTGRES_DEADLOCK_DETECTED) return null;
    if (!driverError || !isUniqueViolation(error)) return undefined;
    if (driverError.constraint !== statements.POSTGRES_STREAM_VERSION_CONSTRAINT) return undefined;
    const match = typeof driverError.detail === 'string' ? CONFLICT_DETAIL.exec(driverError.detail) : null;
    return match ? match[1] : null;
  },
};
