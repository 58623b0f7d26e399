import type { Dialect } from '@fleet/event-sourcing';

/**
 * The messaging tables, in each service's own database next to its events:
 * - `inbox`: one row per (consumer, event) a consumer has processed; written in the handler's
 *   transaction, so a redelivered message finds its row and is skipped.
 * - `outbox_checkpoints`: one row per relay (the events table is the outbox): how far it has
 *   published, two time marks for the restart safety margin, when the position last advanced
 *   (`advanced_at_ms`; lease renewals alone do not count), and the lease that keeps a single relay
 *   instance active. Times are milliseconds since the epoch from the database's clock.
 */

export const MESSAGING_UP: Record<Dialect, readonly string[]> = {
  postgres: [
    `CREATE TABLE inbox (
      consumer text NOT NULL,
      event_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT inbox_pkey PRIMARY KEY (consumer, event_id)
    )`,
    `CREATE INDEX inbox_processed_at_idx ON inbox (processed_at)`,
    `CREATE TABLE outbox_checkpoints (
      relay text NOT NULL,
      position bigint NOT NULL DEFAULT 0,
      mark_position bigint NOT NULL DEFAULT 0,
      mark_at_ms bigint NOT NULL DEFAULT 0,
      prior_mark_position bigint NOT NULL DEFAULT 0,
      prior_mark_at_ms bigint NOT NULL DEFAULT 0,
      lease_owner text,
      lease_epoch bigint NOT NULL DEFAULT 0,
      lease_expires_at_ms bigint NOT NULL DEFAULT 0,
      advanced_at_ms bigint NOT NULL DEFAULT 0,
      updated_at_ms bigint NOT NULL DEFAULT 0,
      CONSTRAINT outbox_checkpoints_pkey PRIMARY KEY (relay)
    )`,
  ],
  sqlite: [
    `CREATE TABLE inbox (
      consumer TEXT NOT NULL,
      event_id TEXT NOT NULL,
      processed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      PRIMARY KEY (consumer, event_id)
    ) WITHOUT ROWID`,
    `CREATE INDEX inbox_processed_at_idx ON inbox (processed_at)`,
    `CREATE TABLE outbox_checkpoints (
      relay TEXT NOT NULL PRIMARY KEY,
      position INTEGER NOT NULL DEFAULT 0,
      mark_position INTEGER NOT NULL DEFAULT 0,
      mark_at_ms INTEGER NOT NULL DEFAULT 0,
      prior_mark_position INTEGER NOT NULL DEFAULT 0,
      prior_mark_at_ms INTEGER NOT NULL DEFAULT 0,
      lease_owner TEXT,
      lease_epoch INTEGER NOT NULL DEFAULT 0,
      lease_expires_at_ms INTEGER NOT NULL DEFAULT 0,
      advanced_at_ms INTEGER NOT NULL DEFAULT 0,
      updated_at_ms INTEGER NOT NULL DEFAULT 0
    )`,
  ],
};

export const MESSAGING_DOWN: readonly string[] = [
  `DROP TABLE outbox_checkpoints`,
  `DROP INDEX inbox_processed_at_idx`,
  `DROP TABLE inbox`,
];

/**
 * The database's clock in milliseconds, as a raw fragment for TypeORM's `manager.sql` template
 * (a function's string is inserted as SQL): lease expiry must not depend on each instance's clock.
 */
export function nowMsOf(dialect: Dialect): () => string {
  const expression =
    dialect === 'postgres'
      ? `(extract(epoch from clock_timestamp()) * 1000)::bigint`
      : `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;
  return () => expression;
}
