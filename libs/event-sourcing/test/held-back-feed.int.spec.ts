import { randomBytes } from 'node:crypto';
import { createEventStore, openDatabase, type EventStore } from '../src';
import {
  adminQuery,
  createTestDatabase,
  feedCaughtUp,
  openBlockingTransaction,
  testDatabaseAdminUrl,
  type BlockingTransaction,
  type TestDatabase,
} from '../src/testing';
import { TALLY_SCHEMA_VERSIONS } from './fixtures/tally.decider';
import { metadata, uniquePrefix } from './support';

const opened = (name: string) => ({ type: 'TallyOpened', data: { name } });

async function appendTallies(store: EventStore, prefix: string, count: number): Promise<void> {
  await store.appendToStreams(
    Array.from({ length: count }, (_, index) => ({
      streamId: `${prefix}-${index}`,
      streamType: 'tally',
      expectedVersion: 'no_stream' as const,
      events: [opened(`${prefix}-${index}`)],
    })),
    metadata(),
  );
}

// Other test processes share the cluster and may hold the feed back for a moment themselves: the
// assertions allow for an older blocker than ours, and waits settle instead of sampling once.
describe('a feed held back by an open transaction (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let blocker: BlockingTransaction | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    store = createEventStore(db.dataSource, { schemaVersions: TALLY_SCHEMA_VERSIONS });
  });

  afterEach(async () => {
    await blocker?.end();
    blocker = undefined;
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('counts held-back events up to the real head and names the transaction they wait for', async () => {
    await feedCaughtUp(store);
    const head = await store.headPosition();
    blocker = await openBlockingTransaction(db.url as string, { applicationName: 'forgotten-psql' });
    const prefix = uniquePrefix('held');
    await appendTallies(store, prefix, 3);

    expect(await store.readAll({ after: head, limit: 10 })).toEqual([]);
    expect(await store.countAfter(head, 100)).toBe(3);
    expect(await store.countAfter(head, 2)).toBe(2);
    const held = await store.heldBack();
    expect(held.events).toBe(3);
    // The oldest open transaction of the cluster: ours, or one that began before it.
    expect(BigInt(held.blocker?.transactionId ?? 'x')).toBeLessThanOrEqual(BigInt(blocker.transactionId));
    if (held.blocker?.pid === blocker.pid) {
      expect(held.blocker).toMatchObject({
        transactionId: blocker.transactionId,
        state: 'idle in transaction',
        application: 'forgotten-psql',
        database: db.dataSource.driver.database,
      });
    }
    expect(held.blocker?.ageSeconds).toBeGreaterThanOrEqual(0);

    await blocker.end();
    await feedCaughtUp(store);
    expect(await store.heldBack()).toEqual({ events: 0 });
    const released = await store.readAll({ after: head, limit: 10 });
    expect(released.map((event) => event.streamId).sort()).toEqual(
      [0, 1, 2].map((index) => `${prefix}-${index}`).sort(),
    );
    expect(await store.countAfter(released[2].position, 100)).toBe(0);
    await expect(store.countAfter(released[2].position + 1_000_000n, 10)).rejects.toMatchObject({
      code: 'position-not-found',
    });
  });

  it("names the blocker to a role that may not see other roles' sessions, without its age", async () => {
    const role = `fleet_test_reader_${randomBytes(4).toString('hex')}`;
    const admin = db.url as string;
    await adminQuery(admin, `CREATE ROLE ${role} LOGIN`);
    let reader: Awaited<ReturnType<typeof openDatabase>> | undefined;
    try {
      await adminQuery(admin, `GRANT SELECT ON events, migrations TO ${role}`);
      const url = new URL(admin);
      url.username = role;
      reader = await openDatabase({ url: url.toString() });
      const readerStore = createEventStore(reader, { schemaVersions: TALLY_SCHEMA_VERSIONS });

      await feedCaughtUp(store);
      blocker = await openBlockingTransaction(admin);
      await appendTallies(store, uniquePrefix('hidden'), 2);
      const held = await readerStore.heldBack();
      expect(held.events).toBe(2);
      expect(BigInt(held.blocker?.transactionId ?? 'x')).toBeLessThanOrEqual(BigInt(blocker.transactionId));
      expect(held.blocker?.ageSeconds).toBeUndefined();
      expect(held.blocker?.state).toBeUndefined();
    } finally {
      await blocker?.end();
      await reader?.destroy();
      await adminQuery(admin, `DROP OWNED BY ${role}`);
      await adminQuery(testDatabaseAdminUrl(), `DROP ROLE ${role}`);
    }
  });
});
