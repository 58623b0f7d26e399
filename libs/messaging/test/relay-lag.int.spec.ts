import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStore } from '@fleet/event-sourcing';
import {
  createTestDatabase,
  feedCaughtUp,
  TEST_DRIVERS,
  type TestDatabase,
} from '@fleet/event-sourcing/testing';
import { messagingMigrations } from '../src/migrations/messaging.migrations';
import { countEventsAfter } from '../src/outbox/relay-lag';
import { appendThings, eventually, metadata, TEST_EVENT_TYPES } from './support/messaging-test-kit';

describe.each(TEST_DRIVERS)('relay lag on %s', (driver) => {
  let database: TestDatabase;
  let store: EventStore;

  beforeEach(async () => {
    database = await createTestDatabase(driver, { migrations: [...messagingMigrations] });
    store = createEventStore(database.dataSource, { schemaVersions: TEST_EVENT_TYPES });
  });

  afterEach(async () => {
    await database.dispose();
  });

  // On PostgreSQL readAll stops before any transaction still open in the cluster (other tests
  // share it), so a count may come up short for a moment: wait for the settled value.
  async function settlesAt(
    count: () => Promise<number>,
    expected: (value: number) => boolean,
  ): Promise<number> {
    return eventually(
      async () => {
        const value = await count();
        return expected(value) ? value : undefined;
      },
      'the settled count',
      5000,
    );
  }

  async function rolledBackAppends(count: number): Promise<void> {
    await expect(
      store.transaction(async (session) => {
        await session.append(
          Array.from({ length: count }, () => ({
            streamId: `thing-${randomUUID()}`,
            streamType: 'thing',
            expectedVersion: 'no_stream' as const,
            events: [{ type: 'ThingHappened', data: { n: -1 } }],
          })),
          metadata(),
        );
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
  }

  it('counts the events after the checkpoint in feed order, not the positions between', async () => {
    const [, , third] = await appendThings(store, 3);
    // On PostgreSQL these use up sequence values: a gap between the checkpoint and the next event.
    await rolledBackAppends(20);
    await appendThings(store, 2, { from: 3 });

    await settlesAt(
      () => countEventsAfter(store, 0n),
      (value) => value === 5,
    );
    expect(await countEventsAfter(store, third.position)).toBe(2);
    // The count includes events the feed still holds back; readAll returns them once they are out.
    await feedCaughtUp(store);
    const [last] = (await store.readAll({ after: third.position, limit: 10 })).slice(-1);
    expect(await countEventsAfter(store, last.position)).toBe(0);
  });

  it('estimates past its limit instead of reading on', async () => {
    await appendThings(store, 30);
    await settlesAt(
      () => countEventsAfter(store, 0n, 31),
      (value) => value === 30,
    );
    // The estimate goes by the feed's head, which a transaction open elsewhere may hold back.
    await feedCaughtUp(store);
    expect(await countEventsAfter(store, 0n, 10)).toBeGreaterThanOrEqual(30);
  });
});
