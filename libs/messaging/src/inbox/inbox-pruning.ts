import type { Dialect, EventStore } from '@fleet/event-sourcing';

export interface InboxPruning {
  /** Rows processed longer ago than this (by the database's clock) are deleted. */
  readonly retentionMs: number;
  /** Rows per transaction: short transactions never hold up the consumers for long. Default 500. */
  readonly batchSize?: number;
  /** Asked before every batch; true ends the pruning early (the service is stopping). */
  readonly stopping?: () => boolean;
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * Deletes inbox rows past their usefulness: a row only has to outlive every repeat of its event
 * (redeliveries, the relay's re-publish rewind beyond JetStream's duplicate window), so the table
 * would otherwise grow by one row per event and consumer forever. Batches of `batchSize` rows, each
 * in its own store transaction (on SQLite it queues between the consumers' transactions), oldest
 * first through the `processed_at` index, until none is left. Returns how many rows went.
 */
export async function pruneInbox(store: EventStore, pruning: InboxPruning): Promise<number> {
  const batchSize = pruning.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batchSize must be a positive whole number, not ${batchSize}`);
  if (!(pruning.retentionMs > 0)) throw new Error(`retentionMs must be positive, not ${pruning.retentionMs}`);
  const deleteBatch = deleteBatchOf(store.dialect, pruning.retentionMs, batchSize);
  let deleted = 0;
  while (!pruning.stopping?.()) {
    const gone = await store.transaction((session) => session.manager.query<unknown[]>(deleteBatch));
    deleted += gone.length;
    if (gone.length < batchSize) break;
  }
  return deleted;
}

/**
 * One batch's DELETE, answering a row per row it deleted. On PostgreSQL inside a CTE, since TypeORM
 * reshapes a bare DELETE's answer; SQLite cannot DELETE in a CTE and needs none.
 */
function deleteBatchOf(dialect: Dialect, retentionMs: number, batchSize: number): string {
  const batch = `SELECT consumer, event_id FROM inbox WHERE processed_at < ${cutoffOf(dialect, retentionMs)}
    ORDER BY processed_at LIMIT ${batchSize}`;
  return dialect === 'postgres'
    ? `WITH gone AS (DELETE FROM inbox WHERE (consumer, event_id) IN (${batch}) RETURNING event_id)
       SELECT event_id FROM gone`
    : `DELETE FROM inbox WHERE (consumer, event_id) IN (${batch}) RETURNING event_id`;
}

/**
 * Now minus the retention, from the database's clock. SQLite stores `processed_at` as ISO-8601 text
 * in UTC (`strftime('%Y-%m-%dT%H:%M:%fZ')`), which compares in time order; PostgreSQL as a
 * timestamptz. Numbers only (validated above), so they are written into the statement.
 */
function cutoffOf(dialect: Dialect, retentionMs: number): string {
  const seconds = (retentionMs / 1000).toFixed(3);
  return dialect === 'postgres'
    ? `(now() - interval '${seconds} seconds')`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-${seconds} seconds')`;
}
