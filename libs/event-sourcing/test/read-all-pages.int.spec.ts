import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStore, type RecordedEvent } from '../src';
import { createTestDatabase, feedCaughtUp, TEST_DRIVERS, type TestDatabase } from '../src/testing';
import { TALLY_SCHEMA_VERSIONS } from './fixtures/tally.decider';
import { metadata, uniquePrefix } from './support';

const KIB = 1024;

/** What the budget measures: an event's data as JSON, in bytes. */
const dataBytes = (event: RecordedEvent): number => Buffer.byteLength(JSON.stringify(event.data));

/** Reads the whole feed after `after` page by page, checking every page against the budget. */
async function readPages(
  store: EventStore,
  after: bigint,
  options: { limit: number; maxBytes: number },
): Promise<(readonly RecordedEvent[])[]> {
  const pages: (readonly RecordedEvent[])[] = [];
  for (let checkpoint = after; ;) {
    const page = await store.readAll({ after: checkpoint, ...options });
    if (page.length === 0) return pages;
    const bytes = page.map(dataBytes);
    const beforeLast = bytes.slice(0, -1).reduce((sum, size) => sum + size, 0);
    // Under the budget but for its last event, which may cross it.
    expect(beforeLast).toBeLessThan(options.maxBytes);
    pages.push(page);
    checkpoint = page[page.length - 1].position;
  }
}

describe.each(TEST_DRIVERS)('readAll pages bounded by bytes on %s', (driver) => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase(driver);
    store = createEventStore(db.dataSource, { schemaVersions: TALLY_SCHEMA_VERSIONS });
  });

  afterAll(async () => {
    await db?.dispose();
  });

  /** Notes of the given sizes, one stream each, in one transaction; returns them in commit order. */
  async function appendNotes(prefix: string, sizes: readonly number[]): Promise<RecordedEvent[]> {
    const results = await store.appendToStreams(
      sizes.map((size, index) => ({
        streamId: `${prefix}-${index}`,
        streamType: 'tally',
        expectedVersion: 'no_stream' as const,
        // Random text: a size the database cannot shrink by compressing it.
        events: [{ type: 'TallyNoted', data: { note: randomText(size) } }],
      })),
      metadata(),
    );
    await feedCaughtUp(store);
    return results.flatMap((result) => result.events);
  }

  it('ends a page at the byte budget before the count, and the cursor reads on without a gap', async () => {
    const head = await store.headPosition();
    const prefix = uniquePrefix('big');
    const sizes = [40, 90, 10, 300, 25, 60, 60, 5, 120, 70].map((kib) => kib * KIB);
    const appended = await appendNotes(prefix, sizes);

    const pages = await readPages(store, head, { limit: 1000, maxBytes: 128 * KIB });
    expect(pages[0].length).toBeLessThan(sizes.length);
    const read = pages.flat();
    expect(read.map((event) => event.eventId)).toEqual(appended.map((event) => event.eventId));
    expect(read.map((event) => event.data)).toEqual(appended.map((event) => event.data));
    expect(pages.length).toBeGreaterThan(2);
  });

  it('always returns at least one event, however large', async () => {
    const head = await store.headPosition();
    const appended = await appendNotes(uniquePrefix('one'), [64 * KIB, 1, 64 * KIB]);
    const pages = await readPages(store, head, { limit: 100, maxBytes: 1 });
    expect(pages.map((page) => page.length)).toEqual([1, 1, 1]);
    expect(pages.flat().map((event) => event.eventId)).toEqual(appended.map((event) => event.eventId));
  });

  it('keeps to the count when the events are small, and filters by type within the budget', async () => {
    const head = await store.headPosition();
    const appended = await appendNotes(
      uniquePrefix('small'),
      Array.from({ length: 12 }, () => 100),
    );
    const pages = await readPages(store, head, { limit: 5, maxBytes: 4 * KIB * KIB });
    expect(pages.map((page) => page.length)).toEqual([5, 5, 2]);
    expect(pages.flat()).toEqual(appended);
    const typed = await store.readAll({ after: head, limit: 100, maxBytes: 250, types: ['TallyNoted'] });
    expect(typed.map((event) => event.eventId)).toEqual(appended.slice(0, 3).map((event) => event.eventId));
    expect(await store.readAll({ after: head, limit: 100, maxBytes: 250, types: ['TallyOpened'] })).toEqual(
      [],
    );
  });

  it('measures an event stored before sizes were kept from its data', async () => {
    const head = await store.headPosition();
    const legacyId = randomUUID();
    const note = randomText(8 * KIB);
    await insertWithoutSize(legacyId, `${uniquePrefix('legacy')}-0`, note);
    const [after] = await appendNotes(uniquePrefix('after-legacy'), [10]);

    const first = await store.readAll({ after: head, limit: 10, maxBytes: 4 * KIB });
    expect(first.map((event) => event.eventId)).toEqual([legacyId]);
    const next = await store.readAll({ after: first[0].position, limit: 10, maxBytes: 4 * KIB });
    expect(next.map((event) => event.eventId)).toEqual([after.eventId]);
  });

  it('refuses a budget that is not a positive whole number', async () => {
    await expect(store.readAll({ limit: 10, maxBytes: 0 })).rejects.toThrow(RangeError);
    await expect(store.readAll({ limit: 10, maxBytes: 1.5 })).rejects.toThrow(RangeError);
  });

  /** An event row as the store wrote it before `data_bytes` existed (the column left NULL). */
  async function insertWithoutSize(eventId: string, streamId: string, note: string): Promise<void> {
    const values = [streamId, eventId, JSON.stringify({ note }), JSON.stringify({ facilityId: 'tx-01' })];
    await db.dataSource.query(
      driver === 'postgres'
        ? `INSERT INTO events (stream_id, stream_type, stream_version, event_id, type, schema_version, data,
             metadata, occurred_at) VALUES ($1, 'tally', 1, $2, 'TallyNoted', 1, $3::jsonb, $4::jsonb, now())`
        : `INSERT INTO events (stream_id, stream_type, stream_version, event_id, type, schema_version, data,
             metadata, occurred_at) VALUES (?, 'tally', 1, ?, 'TallyNoted', 1, ?, ?, '2026-11-27T10:00:00.000Z')`,
      values,
    );
    await feedCaughtUp(store);
  }
});

function randomText(bytes: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let text = '';
  for (let i = 0; i < bytes; i++) text += alphabet[Math.floor(Math.random() * alphabet.length)];
  return text;
}
