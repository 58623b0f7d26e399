import type { Dialect } from '@fleet/event-sourcing';

/**
 * How a set-based rebuild reads the `events` table (alias `e`) in SQL on each database: a field of
 * an event's data, the lines of its journal entry, its instant as the store hands it out, and the
 * feed's order. The rebuild statements are written once over these. Every accessor comes in
 * parentheses: the JSON operators bind no tighter than `||`.
 */
export interface EventSql {
  /** A field of `e.data` (a dotted path) as text, or NULL where it is absent or JSON null. */
  text(path: string): string;
  /** A field of `e.data` as an integer. */
  integer(path: string): string;
  /** A field of `e.data` as the driver returns JSON (SQLite: its text; PostgreSQL: parsed). */
  json(path: string): string;
  /**
   * The FROM item giving each line of `e.data.entry.lines` as `l`, numbered from 1 by `lineNo`,
   * whose `fields` `lineText` then reads.
   */
  entryLines(fields: readonly string[]): string;
  readonly lineNo: string;
  /** A field of the line `l` as text. */
  lineText(field: string): string;
  /** `e.event_id` as text. */
  readonly eventId: string;
  /** `e.occurred_at` as the store's ISO-8601 text (`metadata.occurredAt`). */
  readonly occurredAt: string;
  /** The columns (of `e`) whose order is the feed's (`readAll`'s) order, to select and sort by. */
  readonly order: readonly string[];
}

const sqlite: EventSql = {
  text: (path) => `(e.data ->> '$.${path}')`,
  integer: (path) => `(e.data ->> '$.${path}')`,
  json: (path) => `json_extract(e.data, '$.${path}')`,
  // jsonb_each: each line comes out as JSONB, which the line's fields are read from without
  // parsing its text again.
  entryLines: () => `jsonb_each(e.data, '$.entry.lines') AS l`,
  lineNo: '(l.key + 1)',
  lineText: (field) => `(l.value ->> '$.${field}')`,
  eventId: 'e.event_id',
  // Stored as the ISO text the store hands out.
  occurredAt: 'e.occurred_at',
  // One writer at a time: position order is commit order.
  order: ['position'],
};

const jsonPath = (path: string) => `'{${path.split('.').join(',')}}'`;

const postgres: EventSql = {
  text: (path) => `(e.data #>> ${jsonPath(path)})`,
  integer: (path) => `(e.data #>> ${jsonPath(path)})::integer`,
  json: (path) => `(e.data #> ${jsonPath(path)})`,
  // One call takes every field of a line apart (cheaper than an operator per field).
  entryLines: (fields) =>
    `ROWS FROM (jsonb_to_recordset(e.data -> 'entry' -> 'lines') AS (${fields
      .map((field) => `"${field}" text`)
      .join(', ')})) WITH ORDINALITY AS l(${fields.map((field) => `"${field}"`).join(', ')}, line_no)`,
  lineNo: 'l.line_no',
  lineText: (field) => `l."${field}"`,
  eventId: 'e.event_id::text',
  occurredAt: `to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  // readAll's commit-safe order (see the event store's README).
  order: ['transaction_id', 'position'],
};

export function eventSqlOf(dialect: Dialect): EventSql {
  return dialect === 'postgres' ? postgres : sqlite;
}
