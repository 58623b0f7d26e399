import type { Dialect } from '../database/dialect';
import type { HeldBackFeed } from '../event-store';

/** What the dialects need of TypeORM: an EntityManager or a DataSource both fit. */
export interface SqlExecutor {
  query<T>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** Who, why and for which facility; `occurredAt` has its own column. */
export type StoredMetadata = Readonly<Record<string, unknown>>;

export interface EventRowToInsert {
  readonly streamId: string;
  readonly streamType: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: StoredMetadata;
  /** ISO-8601, UTC. */
  readonly occurredAt: string;
}

/** A row of `events` as the dialect reads it, before upcasting. */
export interface StoredEvent extends EventRowToInsert {
  readonly position: bigint;
}

/** The newest event of a stream, as the append path needs it. */
export interface StreamHead {
  readonly version: number;
  /**
   * Whether that event was written by a transaction newer than the caller's (PostgreSQL only; a
   * single writer on SQLite makes it always false): appending after it would put this stream's
   * events out of version order in read-all's (transaction_id, position) order.
   */
  readonly writtenByNewerTransaction: boolean;
}

export interface StoredSnapshot {
  readonly version: number;
  readonly state: unknown;
}

/** Which events a read-all page takes: after a checkpoint, at most `limit`, of these types only. */
/**
 * A page of read-all: after a checkpoint, at most `limit` events, of these types only, and (with
 * `maxBytes`) only while the data of the events before each one stays under the budget (the first
 * always comes).
 */
export type ReadAllPage = [
  after: bigint,
  limit: number,
  types: readonly string[] | undefined,
  maxBytes: number | undefined,
];

/** The dialect-specific half of the event store: SQL in, plain values out. */
export interface EventStoreDialect {
  readonly name: Dialect;
  /** Inserts in the given order; returns each row's position, in the same order. */
  insertEvents(sql: SqlExecutor, rows: readonly EventRowToInsert[]): Promise<bigint[]>;
  /**
   * Where the dialect can (PostgreSQL): the version check and the insert in ONE statement, so an
   * append is one round trip (and, with nothing else to write, needs no transaction of its own).
   * `rows` carry versions relative to their stream's head (1, 2, …), in the order to insert. The
   * rows are inserted only when every stream is at its `expected` version (undefined: any) and no
   * head was written by a newer transaction; the heads are returned either way, and the positions
   * only when the rows were inserted.
   */
  checkAndInsertEvents?(
    sql: SqlExecutor,
    streams: readonly { readonly streamId: string; readonly expected: number | undefined }[],
    rows: readonly EventRowToInsert[],
  ): Promise<{ heads: Map<string, StreamHead>; positions: bigint[] | undefined }>;
  /** Most rows `checkAndInsertEvents` takes in one statement. */
  readonly maxRowsPerStatement?: number;
  /** The head of each stream that exists (absent streams are missing from the map). */
  streamHeads(sql: SqlExecutor, streamIds: readonly string[]): Promise<Map<string, StreamHead>>;
  /** The events after `afterVersion` and the stream's current version, consistent with each other. */
  readStream(
    sql: SqlExecutor,
    streamId: string,
    afterVersion: number,
    maxCount: number | undefined,
  ): Promise<{ events: StoredEvent[]; version: number }>;
  /** One statement: a page bounded by bytes costs no second query to size it. */
  readAll(sql: SqlExecutor, ...page: ReadAllPage): Promise<StoredEvent[]>;
  /** Committed events after `after` in read-all's order, held back or not, counted up to `limit`. */
  countAfter(sql: SqlExecutor, after: bigint, limit: number): Promise<number>;
  positionExists(sql: SqlExecutor, position: bigint): Promise<boolean>;
  headPosition(sql: SqlExecutor): Promise<bigint>;
  countHeldBack(sql: SqlExecutor): Promise<number>;
  heldBack(sql: SqlExecutor): Promise<HeldBackFeed>;
  loadSnapshot(
    sql: SqlExecutor,
    streamId: string,
    schemaVersion: number,
  ): Promise<StoredSnapshot | undefined>;
  saveSnapshot(
    sql: SqlExecutor,
    snapshot: { streamId: string; version: number; schemaVersion: number; state: unknown },
  ): Promise<void>;
  /**
   * When `error` is a unique violation of (stream_id, stream_version), the stream it names if the
   * driver says (`null` when it does not); `undefined` for any other error.
   */
  conflictingStream(error: unknown): string | null | undefined;
}
