import type { EventStore } from '@fleet/event-sourcing';
import { TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import { claimInboxEntry } from '../src/inbox/inbox';
import { pruneInbox } from '../src/inbox/inbox-pruning';
import { messagingTestStore } from './support/messaging-test-kit';

const HOUR_MS = 3600_000;

describe.each(TEST_DRIVERS)('inbox pruning on %s', (driver) => {
  let database: TestDatabase;
  let store: EventStore;

  // One database for the file; every test starts from an empty inbox.
  beforeAll(async () => {
    ({ database, store } = await messagingTestStore(driver));
  });

  beforeEach(async () => {
    await store.transaction((session) => session.manager.query(`DELETE FROM inbox`));
  });

  afterAll(async () => {
    await database.dispose();
  });

  /** Inbox rows as if processed `hoursAgo` by the database's clock. */
  async function processed(consumer: string, eventIds: readonly string[], hoursAgo: number): Promise<void> {
    await store.transaction(async (session) => {
      for (const eventId of eventIds) {
        expect(await claimInboxEntry(session, consumer, eventId)).toBe(true);
        await session.manager.query(
          store.dialect === 'postgres'
            ? `UPDATE inbox SET processed_at = now() - make_interval(hours => $1) WHERE consumer = $2 AND event_id = $3`
            : `UPDATE inbox SET processed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ? || ' hours') WHERE consumer = ? AND event_id = ?`,
          [hoursAgo, consumer, eventId],
        );
      }
    });
  }

  async function remaining(): Promise<string[]> {
    const rows = (await store.transaction((session) =>
      session.manager.query(`SELECT consumer, event_id FROM inbox ORDER BY consumer, event_id`),
    )) as { consumer: string; event_id: string }[];
    return rows.map((row) => `${row.consumer}/${row.event_id}`);
  }

  const ids = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, index) => `${prefix}-${String(index).padStart(2, '0')}`);

  it('deletes the rows older than the retention, in batches, and keeps the rest', async () => {
    await processed('a-ThingHappened', ids('old', 11), 30);
    await processed('b-ThingHappened', ids('old', 2), 25);
    await processed('a-ThingHappened', ids('recent', 3), 23);
    await processed('b-ThingHappened', ids('fresh', 2), 0);

    const deleted = await pruneInbox(store, { retentionMs: 24 * HOUR_MS, batchSize: 4 });

    expect(deleted).toBe(13);
    expect(await remaining()).toEqual([
      ...ids('recent', 3).map((id) => `a-ThingHappened/${id}`),
      ...ids('fresh', 2).map((id) => `b-ThingHappened/${id}`),
    ]);
    // A pruned event delivered again would run its handler again: only rows past every repeat go.
    expect(await pruneInbox(store, { retentionMs: 24 * HOUR_MS })).toBe(0);
  });

  it('stops between batches when asked', async () => {
    await processed('a-ThingHappened', ids('old', 6), 48);
    let batches = 0;
    const deleted = await pruneInbox(store, {
      retentionMs: HOUR_MS,
      batchSize: 2,
      stopping: () => batches++ >= 2,
    });
    expect(deleted).toBe(4);
    expect(await remaining()).toHaveLength(2);
  });
});
