import type { EventStoreSession } from '@fleet/event-sourcing';

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
