/**
 * The event store's SQL for PostgreSQL. Tables are unqualified: the connection's search_path is the
 * service's schema (see `openDatabase`).
 */

export const POSTGRES_EVENT_STORE_UP = [
  `CREATE TABLE events (
    position bigserial PRIMARY KEY,
    -- The writing transaction: read-all only passes rows of transactions that can no longer
    -- commit late (see POSTGRES_READ_ALL), which sequences alone cannot tell.
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL,
    stream_type text NOT NULL,
    stream_version integer NOT NULL,
    event_id uuid NOT NULL,
    type text NOT NULL,
    schema_version integer NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    occurred_at timestamptz NOT NULL,
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    CONSTRAINT events_stream_version_check CHECK (stream_version > 0),
    CONSTRAINT events_schema_version_check CHECK (schema_version > 0)
  )`,
  `CREATE INDEX events_commit_order_idx ON events (transaction_id, position)`,
  `CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the events table is append-only';
  END
  $$`,
  `CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change()`,
  `CREATE TABLE snapshots (
    stream_id text PRIMARY KEY,
    version integer NOT NULL CHECK (version > 0),
    schema_version integer NOT NULL,
    state jsonb NOT NULL,
    taken_at timestamptz NOT NULL DEFAULT now()
  )`,
];

export const POSTGRES_EVENT_STORE_DOWN = [
  `DROP TABLE snapshots`,
  `DROP TABLE events`,
  `DROP FUNCTION events_refuse_change()`,
];

/**
 * Each event's data as JSON, in bytes, written with the event: pages and relay batches are bounded by
 * bytes without reading the data of the events they leave out. Events appended before this column
 * existed have none and are measured from their data when read.
 */
export const POSTGRES_EVENT_DATA_BYTES_UP = [
  `ALTER TABLE events ADD COLUMN data_bytes integer CONSTRAINT events_data_bytes_check CHECK (data_bytes >= 0)`,
];

export const POSTGRES_EVENT_DATA_BYTES_DOWN = [`ALTER TABLE events DROP COLUMN data_bytes`];

/** The name of the constraint whose violation means another writer got to the stream first. */
export const POSTGRES_STREAM_VERSION_CONSTRAINT = 'events_stream_version_key';

/**
 * Positions go out as text (no int8 precision loss); ORDER BY must then name `events.position`,
 * since a bare `position` would sort by this text alias.
 */
const EVENT_COLUMNS = `events.position::text AS position, stream_id, stream_type, stream_version,
  event_id::text AS event_id, type, schema_version, data, metadata, occurred_at`;

/**
 * One statement for a whole chunk: the rows travel as one JSON document ($1), which costs one
 * parameter whatever the chunk size and keeps the insertion order (ORDER BY ordinality) so
 * positions follow the order the caller gave.
 */
export const POSTGRES_INSERT_EVENTS = `
  INSERT INTO events (stream_id, stream_type, stream_version, event_id, type, schema_version, data, data_bytes,
    metadata, occurred_at)
  SELECT r.stream_id, r.stream_type, r.stream_version, r.event_id, r.type, r.schema_version, r.data, r.data_bytes,
    r.metadata, r.occurred_at
  FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (stream_id text, stream_type text, stream_version integer,
    event_id uuid, type text, schema_version integer, data jsonb, data_bytes integer, metadata jsonb,
    occurred_at timestamptz))
    WITH ORDINALITY AS r
  ORDER BY r.ordinality
  RETURNING position::text AS position, event_id::text AS event_id`;

/**
 * POSTGRES_STREAM_HEADS and POSTGRES_INSERT_EVENTS in one statement (one round trip per append):
 * $1 the streams with their expected version (NULL: any), $2 the rows with versions relative to
 * their stream's head, $3 and $4 the metadata and time every row of an append shares (sent once). The insert happens only when every stream passes the check; the statement
 * answers every stream's head (kind 'head') and, if inserted, every event's position (kind
 * 'event'). A writer committing in between is still caught by the unique (stream_id, stream_version).
 */
export const POSTGRES_CHECK_AND_INSERT_EVENTS = `
  WITH streams AS (
    SELECT s.stream_id, s.expected, h.stream_version AS version,
      COALESCE(h.transaction_id > pg_current_xact_id(), false) AS newer_writer
    FROM jsonb_to_recordset($1::jsonb) AS s(stream_id text, expected integer)
    LEFT JOIN LATERAL (
      SELECT e.stream_version, e.transaction_id FROM events e WHERE e.stream_id = s.stream_id
      ORDER BY e.stream_version DESC LIMIT 1
    ) h ON true
  ),
  passed AS (
    SELECT bool_and((expected IS NULL OR expected = COALESCE(version, 0)) AND NOT newer_writer) AS ok
    FROM streams
  ),
  inserted AS (
    INSERT INTO events (stream_id, stream_type, stream_version, event_id, type, schema_version, data,
      data_bytes, metadata, occurred_at)
    SELECT r.stream_id, r.stream_type, COALESCE(s.version, 0) + r.stream_version, r.event_id, r.type,
      r.schema_version, r.data, r.data_bytes, $3::jsonb, $4::timestamptz
    FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (stream_id text, stream_type text, stream_version integer,
      event_id uuid, type text, schema_version integer, data jsonb, data_bytes integer))
      WITH ORDINALITY AS r
    JOIN streams s ON s.stream_id = r.stream_id
    WHERE (SELECT ok FROM passed)
    ORDER BY r.ordinality
    RETURNING position::text AS position, event_id::text AS event_id
  )
  SELECT 'head' AS kind, stream_id AS key, version::text AS value, newer_writer FROM streams
  UNION ALL
  SELECT 'event', event_id, position, NULL FROM inserted`;

/**
 * Each stream's head: its version and whether its newest event was written by a transaction newer
 * than ours. One index probe per stream (the newest entry of (stream_id, stream_version)); a
 * GROUP BY would walk every event of every stream, and a facility's power stream is long. NULL
 * version: no such stream.
 *
 * Why it matters: read-all orders by (transaction_id, position), and a transaction id is fixed at
 * the transaction's first write, not at its commit. A session that wrote first (a consumer's inbox
 * row), then read a stream a newer transaction had meanwhile appended to and committed, would
 * append the next version under an older id: read-all would hand out v42 before v41. The append
 * refuses that (ConcurrencyError); the retry runs in a fresh, newer transaction. Checking the newest
 * event is enough because every append makes this check, so transaction ids never decrease along a
 * stream. Under READ COMMITTED the check is sound: a newer writer that committed before this
 * statement is seen here; one that had not cannot have been read by us either, and it wrote the
 * very version we are about to insert, so its row on (stream_id, stream_version) blocks our insert
 * until it ends and, if it commits, fails it with a unique violation: a ConcurrencyError too.
 * pg_current_xact_id() assigns our id if we have none yet, and then nothing we can see is newer: a
 * fresh transaction (handleCommand's retry) never trips this.
 */
export const POSTGRES_STREAM_HEADS = `
  SELECT s.stream_id, h.stream_version AS version, h.transaction_id > pg_current_xact_id() AS newer_writer
  FROM unnest($1::text[]) AS s(stream_id)
  LEFT JOIN LATERAL (
    SELECT e.stream_version, e.transaction_id FROM events e WHERE e.stream_id = s.stream_id
    ORDER BY e.stream_version DESC LIMIT 1
  ) h ON true`;

/**
 * The stream's events after a version and its current version in ONE statement, so both come from
 * the same snapshot: a version newer than the events returned would let a command decide on stale
 * state and still pass the optimistic check. LIMIT NULL means no limit; a stream without events
 * after $2 yields one row of NULL event columns.
 */
export const POSTGRES_READ_STREAM = `
  SELECT v.current_version, e.*
  FROM (SELECT COALESCE(MAX(stream_version), 0) AS current_version FROM events WHERE stream_id = $1) v
  LEFT JOIN LATERAL (
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE stream_id = $1 AND stream_version > $2
    ORDER BY stream_version
    LIMIT $3
  ) e ON true
  ORDER BY e.stream_version`;

/** The size of an event's data; rows older than `data_bytes` are measured (their data is read). */
const DATA_BYTES = `COALESCE(events.data_bytes, octet_length(events.data::text))`;

/** After the checkpoint (the event at position `$parameter`) in read-all's order. */
function afterCheckpoint(parameter: number): string {
  return `(events.transaction_id, events.position) >
        (SELECT c.transaction_id, c.position FROM events c WHERE c.position = $${parameter})`;
}

/**
 * Read-all in commit-safe order. Sequences are not transactional: position 11 can commit while
 * position 10 is still in flight, so "position > checkpoint" would skip 10 for good. Instead only
 * rows of transactions older than every transaction still running (`pg_snapshot_xmin`) pass; no
 * such row can appear later. Rows come in (transaction_id, position) order and the checkpoint is
 * the last row read, compared as that pair. A long-running transaction anywhere in the cluster
 * holds read-all back (never makes it skip) until it ends.
 *
 * With `maxBytes`, a running sum of the events' data sizes (`data_bytes`) cuts the page in the same
 * statement: an event comes while the events before it stay under the budget (the first always).
 * The window runs over the index order and stops at the LIMIT; the data of the events cut off is
 * never sent.
 */
export function postgresReadAll(options: {
  fromCheckpoint: boolean;
  filterTypes: boolean;
  maxBytes: boolean;
}): string {
  const conditions = ['transaction_id < pg_snapshot_xmin(pg_current_snapshot())'];
  let next = 1;
  if (options.fromCheckpoint) conditions.push(afterCheckpoint(next++));
  if (options.filterTypes) conditions.push(`type = ANY($${next++}::text[])`);
  const page = `FROM events
  WHERE ${conditions.join(' AND ')}
  ORDER BY events.transaction_id, events.position
  LIMIT $${next++}`;
  if (!options.maxBytes) return `SELECT ${EVENT_COLUMNS} ${page}`;
  return `SELECT ${EVENT_COLUMNS} FROM (
    SELECT events.*, sum(${DATA_BYTES}) OVER (ORDER BY events.transaction_id, events.position ROWS UNBOUNDED PRECEDING)
      - ${DATA_BYTES} AS bytes_before
    ${page}
  ) events
  WHERE bytes_before < $${next}
  ORDER BY events.transaction_id, events.position`;
}

/**
 * Events after the checkpoint in read-all's order, held back or not, counted up to a limit: how far
 * a reader at the checkpoint is from the real head. No horizon here: an event held back by an open
 * transaction is committed and still to be read.
 */
export function postgresCountAfter(options: { fromCheckpoint: boolean }): string {
  const where = options.fromCheckpoint ? `WHERE ${afterCheckpoint(1)}` : '';
  return `SELECT count(*)::int AS pending FROM (
    SELECT 1 FROM events ${where} LIMIT $${options.fromCheckpoint ? 2 : 1}
  ) pending`;
}

export const POSTGRES_POSITION_EXISTS = `SELECT 1 AS found FROM events WHERE position = $1`;

/** Committed events the feed holds back: written by transactions newer than the oldest one open. */
export const POSTGRES_COUNT_HELD_BACK = `
  SELECT count(*)::int AS held_back FROM events
  WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())`;

/**
 * The held-back count and, when there is one, the transaction it waits for: the oldest one open in
 * the cluster with a transaction id (in any database; a transaction that has written nothing has no
 * id and holds nothing back), or a prepared transaction (two-phase commit, no session). Its id,
 * pid, application and database are visible to every role; its start and state only to the same
 * role, a superuser, or a member of pg_read_all_stats (otherwise NULL).
 */
export const POSTGRES_HELD_BACK = `
  WITH held AS (${POSTGRES_COUNT_HELD_BACK}),
  open_transactions AS (
    SELECT backend_xid AS xid, pid, state, application_name, datname AS database,
      extract(epoch FROM now() - xact_start)::float8 AS age_seconds
    FROM pg_stat_activity WHERE backend_xid IS NOT NULL
    UNION ALL
    SELECT transaction, NULL, 'prepared', NULL, database, extract(epoch FROM now() - prepared)::float8
    FROM pg_prepared_xacts
  )
  SELECT held.held_back, o.xid::text AS transaction_id, o.pid, o.state, o.application_name, o.database,
    o.age_seconds
  FROM held LEFT JOIN LATERAL (
    SELECT * FROM open_transactions WHERE held.held_back > 0 ORDER BY age(xid) DESC LIMIT 1
  ) o ON true`;

export const POSTGRES_HEAD_POSITION = `
  SELECT events.position::text AS position FROM events
  WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY events.transaction_id DESC, events.position DESC
  LIMIT 1`;

export const POSTGRES_LOAD_SNAPSHOT = `
  SELECT version, state FROM snapshots WHERE stream_id = $1 AND schema_version = $2`;

/** Never replaces a newer snapshot of the same schema with an older one (a slow writer racing). */
export const POSTGRES_SAVE_SNAPSHOT = `
  INSERT INTO snapshots (stream_id, version, schema_version, state, taken_at)
  VALUES ($1, $2, $3, $4::jsonb, now())
  ON CONFLICT (stream_id) DO UPDATE
    SET version = excluded.version, schema_version = excluded.schema_version, state = excluded.state,
      taken_at = excluded.taken_at
    WHERE snapshots.version < excluded.version OR snapshots.schema_version <> excluded.schema_version`;
