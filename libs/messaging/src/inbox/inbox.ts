import { queryWithValues, type EventStoreSession } from '@fleet/event-sourcing';

/**
 * Records, in the caller's transaction, that `consumer` processes `eventId`. False when it already
 * did: the message is a redelivery and its effects are committed already.
 *
 * `ON CONFLICT DO NOTHING` rather than catching a unique violation: on PostgreSQL a failed
 * statement aborts the whole transaction. A concurrent claim of the same event (two instances, an
 * ack timeout) waits on the key until the first transaction ends, then sees its row.
 */
export async function claimInboxEntry(
  session: EventStoreSession,
  consumer: string,
  eventId: string,
): Promise<boolean> {
  const rows = await session.manager.sql<unknown[]>`INSERT INTO inbox (consumer, event_id)
    VALUES (${consumer}, ${eventId})
    ON CONFLICT (consumer, event_id) DO NOTHING
    RETURNING event_id`;
  return Array.isArray(rows) && rows.length === 1;
}

const INBOX_COLUMNS = [
  { name: 'consumer', kind: 'text' },
  { name: 'event_id', kind: 'text' },
] as const;

/**
 * `claimInboxEntry` for many events in one statement (a batch handler's run of messages): the ids
 * of those this consumer had not processed yet. An id given twice is claimed once. `WHERE true`:
 * SQLite cannot otherwise tell an upsert's `ON CONFLICT` from a join of the `SELECT`.
 */
export async function claimInboxEntries(
  session: EventStoreSession,
  consumer: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await queryWithValues<{ event_id: string }>(
    session.manager,
    INBOX_COLUMNS,
    [...new Set(eventIds)].map((eventId) => [consumer, eventId]),
    `INSERT INTO inbox (consumer, event_id) SELECT consumer, event_id FROM v WHERE true
      ON CONFLICT (consumer, event_id) DO NOTHING
      RETURNING event_id`,
  );
  return new Set(rows.map((row) => row.event_id));
}
