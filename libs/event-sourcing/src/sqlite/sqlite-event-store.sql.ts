/**
 * The event store's SQL for SQLite. One writer at a time (the database lock), so position order is
 * commit order here.
 */

export const SQLITE_EVENT_STORE_UP = [
  // AUTOINCREMENT: a position is never handed out twice, even after the newest row is gone.
  `CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id TEXT NOT NULL,
    stream_type TEXT NOT NULL,
    stream_version INTEGER NOT NULL CHECK (stream_version > 0),
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    schema_version INTEGER NOT NULL CHECK (schema_version > 0),
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
    CONSTRAINT events_event_id_key UNIQUE (event_id)
  )`,
  `CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the events table is append-only'); END`,
  `CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the events table is append-only'); END`,
  `CREATE TABLE snapshots (
    stream_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL CHECK (version > 0),
    schema_version INTEGER NOT NULL,
    state TEXT NOT NULL,
    taken_at TEXT NOT NULL
  )`,
];

export const SQLITE_EVENT_STORE_DOWN = [
  `DROP TABLE snapshots`,
  `DROP TRIGGER events_refuse_delete`,
  `DROP TRIGGER events_refuse_update`,
  `DROP TABLE events`,
];

/**
 * Each event's data as JSON, in bytes, written with the event (see the PostgreSQL twin). The index
 * makes sizing a page (with or without a type filter) an index-only scan: the column sits after the
 * data in the row, and reaching it in the table would read every overflow page of a large event.
 */
export const SQLITE_EVENT_DATA_BYTES_UP = [
  `ALTER TABLE events ADD COLUMN data_bytes INTEGER CHECK (data_bytes >= 0)`,
  `CREATE INDEX events_data_bytes_idx ON events (position, type, data_bytes)`,
];

export const SQLITE_EVENT_DATA_BYTES_DOWN = [
  `DROP INDEX events_data_bytes_idx`,
  `ALTER TABLE events DROP COLUMN data_bytes`,
];

/** SQLite names the columns, not the constraint, when a unique constraint fails. */
export const SQLITE_STREAM_VERSION_VIOLATION = 'events.stream_id, events.stream_version';

const EVENT_COLUMNS = `position, stream_id, stream_type, stream_version, event_id, type, schema_version, data,
  metadata, occurred_at`;

/** Columns bound per inserted row. */
export const SQLITE_INSERT_PARAMETERS_PER_ROW = 10;

/** A multi-row INSERT; statements are prepared once per row count and cached by TypeORM. */
export function sqliteInsertEvents(rowCount: number): string {
  const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  return `INSERT INTO events (stream_id, stream_type, stream_version, event_id, type, schema_version, data,
    data_bytes, metadata, occurred_at)
  VALUES ${Array.from({ length: rowCount }, () => row).join(', ')}
  RETURNING position, event_id`;
}

/**
 * $1 is a JSON array of stream ids: one parameter however many streams. One index probe per stream
 * (MAX over the unique index); a GROUP BY would walk every event of every stream. NULL: no such
 * stream.
 */
export const SQLITE_STREAM_VERSIONS = `
  SELECT s.value AS stream_id,
    (SELECT MAX(e.stream_version) FROM events e WHERE e.stream_id = s.value) AS version
  FROM json_each(?) s`;

export const SQLITE_STREAM_VERSION = `
  SELECT COALESCE(MAX(stream_version), 0) AS version FROM events WHERE stream_id = ?`;

/** LIMIT -1 means no limit. */
export const SQLITE_READ_STREAM = `
  SELECT ${EVENT_COLUMNS} FROM events
  WHERE stream_id = ? AND stream_version > ?
  ORDER BY stream_version
  LIMIT ?`;

/** The size of an event's data; rows older than `data_bytes` are measured (their data is read). */
const DATA_BYTES = `COALESCE(events.data_bytes, length(CAST(events.data AS BLOB)))`;

/**
 * With `maxBytes`, a running sum of the events' data sizes cuts the page in the same statement: an
 * event comes while the events before it stay under the budget (the first always).
 */
export function sqliteReadAll(options: { filterTypes: boolean; maxBytes: boolean }): string {
  const page = `FROM events
  WHERE position > ?${options.filterTypes ? ' AND type IN (SELECT value FROM json_each(?))' : ''}
  ORDER BY position
  LIMIT ?`;
  if (!options.maxBytes) return `SELECT ${EVENT_COLUMNS} ${page}`;
  return `SELECT ${EVENT_COLUMNS} FROM (
    SELECT events.*, sum(${DATA_BYTES}) OVER (ORDER BY position ROWS UNBOUNDED PRECEDING) - ${DATA_BYTES} AS bytes_before
    ${page}
  ) events
  WHERE bytes_before < ?
  ORDER BY position`;
}

/** Events after the checkpoint, counted up to a limit. */
export const SQLITE_COUNT_AFTER = `
  SELECT count(*) AS pending FROM (SELECT 1 FROM events WHERE position > ? LIMIT ?)`;

export const SQLITE_POSITION_EXISTS = `SELECT 1 AS found FROM events WHERE position = ?`;

export const SQLITE_HEAD_POSITION = `SELECT COALESCE(MAX(position), 0) AS position FROM events`;

export const SQLITE_LOAD_SNAPSHOT = `
  SELECT version, state FROM snapshots WHERE stream_id = ? AND schema_version = ?`;

/** Never replaces a newer snapshot of the same schema with an older one. */
export const SQLITE_SAVE_SNAPSHOT = `
  INSERT INTO snapshots (stream_id, version, schema_version, state, taken_at)
  VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (stream_id) DO UPDATE
    SET version = excluded.version, schema_version = excluded.schema_version, state = excluded.state,
      taken_at = excluded.taken_at
    WHERE snapshots.version < excluded.version OR snapshots.schema_version <> excluded.schema_version`;
