import { setTimeout as delay } from 'node:timers/promises';
import {
  ConcurrencyError,
  createEventStore,
  DomainError,
  type Event,
  eventStoreMigrations,
  type EventStore,
  handleCommand,
  isUniqueViolation,
  loadAggregate,
  openDatabase,
  type RecordedEvent,
  type SnapshotPolicy,
  UniquenessViolationError,
  VersionMismatchError,
} from '../src';
import { createTestDatabase, feedCaughtUp, TEST_DRIVERS, type TestDatabase } from '../src/testing';
import {
  TALLY_SCHEMA_VERSIONS,
  type TallyCommand,
  tallyDecider,
  type TallyEvent,
  type TallyState,
} from './fixtures/tally.decider';
import { tallyIncrementedV1ToV2 } from './fixtures/tally.upcasters';
import {
  CreateTallyTotals1700000000100,
  POISON_INCREMENT,
  TallyTotalEntity,
  tallyTotalsProjection,
} from './fixtures/tally-totals.projection';
import { deferred, metadata, readAllUntil, settlesWithin, uniquePrefix } from './support';

const opened = (name: string) => ({ type: 'TallyOpened', data: { name } });
const incremented = (by: number, reason = 'test') => ({ type: 'TallyIncremented', data: { by, reason } });
const noted = (note: string) => ({ type: 'TallyNoted', data: { note } });

describe.each(TEST_DRIVERS)('event store contract on %s', (driver) => {
  let db: TestDatabase;
  let store: EventStore;
  const appended: RecordedEvent[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(driver, {
      entities: [TallyTotalEntity],
      migrations: [CreateTallyTotals1700000000100],
    });
    store = createEventStore(db.dataSource, {
      schemaVersions: TALLY_SCHEMA_VERSIONS,
      upcasters: [tallyIncrementedV1ToV2],
      projections: [tallyTotalsProjection],
      onAppended: (events) => appended.push(...events),
    });
  });

  afterAll(async () => {
    await db?.dispose();
  });

  const openTally = (streamId: string, name = streamId) =>
    store.appendToStream(streamId, 'tally', [opened(name)], {
      expectedVersion: 'no_stream',
      metadata: metadata(),
    });

  describe('schema', () => {
    it('has the events and snapshots tables the code expects, created by migrations', async () => {
      expect(db.dataSource.options.synchronize).toBe(false);
      const columns = async (table: string): Promise<Record<string, string>> => {
        if (driver === 'postgres') {
          const rows = await db.dataSource.query<{ column_name: string; data_type: string }[]>(
            `SELECT column_name, data_type FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 AND is_nullable = 'NO'`,
            [table],
          );
          return Object.fromEntries(rows.map((row) => [row.column_name, row.data_type]));
        }
        const rows = await db.dataSource.query<{ name: string; type: string; notnull: number; pk: number }[]>(
          `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`,
          [table],
        );
        return Object.fromEntries(
          rows.filter((row) => row.notnull || row.pk).map((row) => [row.name, row.type]),
        );
      };

      expect(await columns('events')).toEqual(
        driver === 'postgres'
          ? {
              position: 'bigint',
              transaction_id: 'xid8',
              stream_id: 'text',
              stream_type: 'text',
              stream_version: 'integer',
              event_id: 'uuid',
              type: 'text',
              schema_version: 'integer',
              data: 'jsonb',
              metadata: 'jsonb',
              occurred_at: 'timestamp with time zone',
            }
          : {
              position: 'INTEGER',
              stream_id: 'TEXT',
              stream_type: 'TEXT',
              stream_version: 'INTEGER',
              event_id: 'TEXT',
              type: 'TEXT',
              schema_version: 'INTEGER',
              data: 'TEXT',
              metadata: 'TEXT',
              occurred_at: 'TEXT',
            },
      );
      expect(await columns('snapshots')).toEqual(
        driver === 'postgres'
          ? {
              stream_id: 'text',
              version: 'integer',
              schema_version: 'integer',
              state: 'jsonb',
              taken_at: 'timestamp with time zone',
            }
          : {
              stream_id: 'TEXT',
              version: 'INTEGER',
              schema_version: 'INTEGER',
              state: 'TEXT',
              taken_at: 'TEXT',
            },
      );

      const uniqueColumnSets =
        driver === 'postgres'
          ? await db.dataSource.query<{ columns: string }[]>(
              `SELECT string_agg(a.attname, ',' ORDER BY k.ord) AS columns
               FROM pg_index i
               CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
               WHERE i.indrelid = 'events'::regclass AND i.indisunique
               GROUP BY i.indexrelid`,
            )
          : await db.dataSource.query<{ columns: string }[]>(
              `SELECT group_concat(ii.name, ',') AS columns
               FROM pragma_index_list('events') il, pragma_index_info(il.name) ii
               WHERE il."unique" = 1 GROUP BY il.name`,
            );
      const uniques = uniqueColumnSets.map((row) => row.columns).sort();
      expect(uniques).toEqual(
        driver === 'postgres'
          ? ['event_id', 'position', 'stream_id,stream_version']
          : ['event_id', 'stream_id,stream_version'],
      );
      if (driver === 'sqlite') {
        const [events] = await db.dataSource.query<{ sql: string }[]>(
          `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'`,
        );
        expect(events.sql).toMatch(/position INTEGER PRIMARY KEY AUTOINCREMENT/);
      } else {
        const [position] = await db.dataSource.query<{ column_default: string }[]>(
          `SELECT column_default FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = 'events' AND column_name = 'position'`,
        );
        expect(position.column_default).toMatch(/^nextval\(/);
        const indexes = await db.dataSource.query<{ indexdef: string }[]>(
          `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'events_commit_order_idx'`,
        );
        expect(indexes[0]?.indexdef).toMatch(/\(transaction_id, "?position"?\)/);
      }

      const migrations = await db.dataSource.query<{ name: string }[]>(
        `SELECT name FROM migrations ORDER BY id`,
      );
      expect(migrations.map((row) => row.name)).toEqual([
        'CreateEventStore1700000000000',
        'AddEventDataBytes1700000000050',
        'CreateTallyTotals1700000000100',
      ]);
    });

    it('keeps the events table append-only', async () => {
      const streamId = uniquePrefix('immutable');
      await openTally(streamId);
      await expect(db.dataSource.query(`DELETE FROM events WHERE stream_id = '${streamId}'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(
        db.dataSource.query(`UPDATE events SET type = 'X' WHERE stream_id = '${streamId}'`),
      ).rejects.toThrow(/append-only/);
      expect((await store.readStream(streamId)).version).toBe(1);
    });

    it('recognises a unique violation of its driver, and only that', async () => {
      const insert =
        driver === 'postgres'
          ? `INSERT INTO snapshots (stream_id, version, schema_version, state) VALUES ($1, 1, 1, '{}')`
          : `INSERT INTO snapshots (stream_id, version, schema_version, state, taken_at) VALUES (?, 1, 1, '{}', 'now')`;
      const streamId = uniquePrefix('unique');
      await db.dataSource.query(insert, [streamId]);
      const duplicate = await db.dataSource.query(insert, [streamId]).catch((caught: unknown) => caught);
      expect(isUniqueViolation(duplicate)).toBe(true);
      const missingColumn = await db.dataSource
        .query(`INSERT INTO snapshots (stream_id) VALUES ('${uniquePrefix('null')}')`)
        .catch((caught: unknown) => caught);
      expect(missingColumn).toBeInstanceOf(Error);
      expect(isUniqueViolation(missingColumn)).toBe(false);
      expect(isUniqueViolation(new Error('UNIQUE constraint failed'))).toBe(false);
    });

    it('opens an existing database again without running a migration twice', async () => {
      const again = await openDatabase({
        url: db.url,
        sqliteFile: db.sqliteFile,
        entities: [TallyTotalEntity],
        migrations: [CreateTallyTotals1700000000100],
      });
      try {
        const [{ count }] = await again.query<{ count: number | string }[]>(
          `SELECT COUNT(*) AS count FROM migrations`,
        );
        // The event store's own and the test's one, each once.
        expect(Number(count)).toBe(eventStoreMigrations.length + 1);
      } finally {
        await again.destroy();
      }
    });
  });

  describe('append and read', () => {
    it('reads back what it appended, with positions, versions and metadata', async () => {
      const streamId = uniquePrefix('tally');
      const meta = metadata({
        correlationId: 'corr-42',
        causationId: 'cause-7',
        occurredAt: '2026-11-27T11:00:00Z',
      });
      const result = await store.appendToStream(
        streamId,
        'tally',
        [opened('north'), incremented(5, 'delivery')],
        {
          expectedVersion: 'no_stream',
          metadata: meta,
        },
      );
      expect(result.nextVersion).toBe(2);
      expect(result.events.map((event) => event.streamVersion)).toEqual([1, 2]);
      expect(typeof result.events[0].position).toBe('bigint');
      expect(result.events[1].position).toBeGreaterThan(result.events[0].position);

      const read = await store.readStream<TallyEvent>(streamId);
      expect(read.version).toBe(2);
      expect(read.events).toEqual(result.events);
      expect(read.events[1]).toEqual({
        eventId: result.events[1].eventId,
        type: 'TallyIncremented',
        schemaVersion: 2,
        data: { by: 5, reason: 'delivery' },
        streamId,
        streamType: 'tally',
        streamVersion: 2,
        position: result.events[1].position,
        metadata: { ...meta, occurredAt: '2026-11-27T11:00:00.000Z' },
      });
    });

    it('reads a stream after a version and at most maxCount events, reporting its current version', async () => {
      const streamId = uniquePrefix('paged');
      await store.appendToStream(
        streamId,
        'tally',
        [opened('paged'), incremented(1), incremented(2), incremented(3)],
        {
          expectedVersion: 'no_stream',
          metadata: metadata(),
        },
      );
      const page = await store.readStream(streamId, { afterVersion: 1, maxCount: 2 });
      expect(page.events.map((event) => event.streamVersion)).toEqual([2, 3]);
      expect(page.version).toBe(4);
      const tail = await store.readStream(streamId, { afterVersion: 4 });
      expect(tail).toEqual({ events: [], version: 4 });
      expect(await store.readStream(uniquePrefix('missing'))).toEqual({ events: [], version: 0 });
    });

    it('keeps the event id it is given and refuses an unknown event type', async () => {
      const streamId = uniquePrefix('ids');
      const eventId = '0b7e4d52-54f4-4f57-9d44-8e0f6c3a9a11';
      const result = await store.appendToStream(streamId, 'tally', [{ ...opened('ids'), eventId }], {
        expectedVersion: 'no_stream',
        metadata: metadata(),
      });
      expect(result.events[0].eventId).toBe(eventId);
      await expect(
        store.appendToStream(streamId, 'tally', [{ type: 'TallyExploded', data: {} }], {
          expectedVersion: 1,
          metadata: metadata(),
        }),
      ).rejects.toThrow(/TallyExploded has no schema version/);
    });

    it('appends to 1,200 streams at once in one transaction', async () => {
      const prefix = uniquePrefix('bulk');
      const head = await store.headPosition();
      const appends = Array.from({ length: 1200 }, (_, index) => ({
        streamId: `${prefix}-${index}`,
        streamType: 'tally',
        expectedVersion: 'no_stream' as const,
        events: [opened(`${prefix}-${index}`), noted(`note ${index}`)],
      }));
      const results = await store.appendToStreams(appends, metadata());
      expect(results.map((result) => result.streamId)).toEqual(appends.map((append) => append.streamId));
      expect(results.every((result) => result.nextVersion === 2)).toBe(true);
      const positions = results.flatMap((result) => result.events.map((event) => event.position));
      expect(new Set(positions).size).toBe(2400);
      expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);

      const all = await readAllUntil(store, head, 2400, { limit: 1000, streamPrefix: prefix });
      expect(all.map((event) => event.eventId)).toEqual(
        results.flatMap((result) => result.events.map((event) => event.eventId)),
      );
      const totals = await db.dataSource.getRepository(TallyTotalEntity).countBy({});
      expect(totals).toBeGreaterThanOrEqual(1200);
      expect((await store.readStream(`${prefix}-1199`)).events.map((event) => event.data)).toEqual([
        { name: `${prefix}-1199` },
        { note: 'note 1199' },
      ]);
    });

    it('stores each stream with its own metadata when it names one, in one append, all or nothing', async () => {
      const prefix = uniquePrefix('own-meta');
      const head = await store.headPosition();
      const causeA = metadata({ causationId: 'cause-a', correlationId: 'corr-a' });
      const causeB = metadata({
        causationId: 'cause-b',
        facilityId: 'tx-02',
        occurredAt: '2026-11-28T10:00:00Z',
      });
      const appends = [0, 1, 2, 3].map((index) => ({
        streamId: `${prefix}-${index}`,
        streamType: 'tally',
        expectedVersion: 'no_stream' as const,
        events: [opened(`${prefix}-${index}`)],
        ...(index === 3 ? {} : { metadata: index < 2 ? causeA : causeB }),
      }));
      const results = await store.appendToStreams(appends, metadata({ causationId: 'the-append' }));
      const expected = [
        ['cause-a', 'corr-a', 'tx-01', '2026-11-27T10:00:00.000Z'],
        ['cause-a', 'corr-a', 'tx-01', '2026-11-27T10:00:00.000Z'],
        ['cause-b', 'corr-1', 'tx-02', '2026-11-28T10:00:00.000Z'],
        ['the-append', 'corr-1', 'tx-01', '2026-11-27T10:00:00.000Z'],
      ];
      const fields = (event: RecordedEvent) => [
        event.metadata.causationId,
        event.metadata.correlationId,
        event.metadata.facilityId,
        event.metadata.occurredAt,
      ];
      expect(results.map((result) => fields(result.events[0]))).toEqual(expected);
      const read = await readAllUntil(store, head, 4, { limit: 100, streamPrefix: prefix });
      expect(read.map(fields)).toEqual(expected);
      expect((await store.readStream(`${prefix}-2`)).events.map(fields)).toEqual([expected[2]]);

      // A conflict on any stream refuses the whole append, whatever metadata each names.
      const again = [
        { ...appends[0], streamId: `${prefix}-new` },
        { ...appends[2], expectedVersion: 0 },
      ];
      await expect(store.appendToStreams(again, metadata())).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await store.readStream(`${prefix}-new`)).version).toBe(0);
    });

    it('stores each stream with its own metadata in a session too, and hands the events to onAppended', async () => {
      const prefix = uniquePrefix('own-meta-session');
      appended.length = 0;
      await store.transaction((session) =>
        session.append(
          ['x', 'y'].map((cause) => ({
            streamId: `${prefix}-${cause}`,
            streamType: 'tally',
            expectedVersion: 'no_stream' as const,
            events: [opened(`${prefix}-${cause}`)],
            metadata: metadata({ causationId: `cause-${cause}` }),
          })),
          metadata(),
        ),
      );
      expect(appended.map((event) => [event.streamId, event.metadata.causationId])).toEqual([
        [`${prefix}-x`, 'cause-x'],
        [`${prefix}-y`, 'cause-y'],
      ]);
      expect((await store.readStream(`${prefix}-y`)).events[0].metadata.causationId).toBe('cause-y');
    });

    it('registers 12,000 streams of one event each in one call', async () => {
      const prefix = uniquePrefix('rig');
      const results = await store.appendToStreams(
        Array.from({ length: 12_000 }, (_, index) => ({
          streamId: `${prefix}-${index}`,
          streamType: 'tally',
          expectedVersion: 'no_stream' as const,
          events: [opened(`${prefix}-${index}`)],
        })),
        metadata(),
      );
      expect(results).toHaveLength(12_000);
      expect((await store.readStream(`${prefix}-11999`)).version).toBe(1);
    });
  });

  describe('expected versions', () => {
    it('applies no_stream, a number (0 meaning no_stream) and any', async () => {
      const streamId = uniquePrefix('expect');
      const append = (expectedVersion: number | 'no_stream' | 'any', by = 1) =>
        store.appendToStream(streamId, 'tally', [incremented(by)], { expectedVersion, metadata: metadata() });

      await expect(append(1)).rejects.toMatchObject({ streamId, expectedVersion: 1, actualVersion: 0 });
      await expect(append(0)).resolves.toMatchObject({ nextVersion: 1 });
      await expect(append('no_stream')).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(append(0)).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(append(2)).rejects.toMatchObject({
        kind: 'conflict',
        expectedVersion: 2,
        actualVersion: 1,
      });
      await expect(append(1)).resolves.toMatchObject({ nextVersion: 2 });
      await expect(append('any')).resolves.toMatchObject({ nextVersion: 3 });
      expect((await store.readStream(streamId)).version).toBe(3);
      await expect(append(-1)).rejects.toThrow(RangeError);
    });

    it('lets exactly one of two concurrent appends at the same expected version win', async () => {
      const streamId = uniquePrefix('race');
      await openTally(streamId);
      for (let round = 1; round <= 10; round++) {
        const outcomes = await Promise.allSettled([
          store.appendToStream(streamId, 'tally', [incremented(1)], {
            expectedVersion: round,
            metadata: metadata(),
          }),
          store.appendToStream(streamId, 'tally', [incremented(2)], {
            expectedVersion: round,
            metadata: metadata(),
          }),
        ]);
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        const [rejected] = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(rejected.reason).toBeInstanceOf(ConcurrencyError);
      }
      const { events, version } = await store.readStream(streamId);
      expect(version).toBe(11);
      expect(events.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    });

    it('refuses the second writer even when both passed the version check (the unique constraint decides)', async () => {
      const streamId = uniquePrefix('held');
      await openTally(streamId);
      const hold = deferred();
      const inserted = deferred();
      const first = store.transaction(async (session) => {
        await session.append(
          [{ streamId, streamType: 'tally', expectedVersion: 1, events: [incremented(1)] }],
          metadata(),
        );
        inserted.resolve();
        await hold.promise;
      });
      await inserted.promise;
      // On PostgreSQL the second writer sees version 1 (the first has not committed), inserts, and
      // waits on the first one's row; on SQLite it waits for the single writer.
      const second = store.appendToStream(streamId, 'tally', [incremented(2)], {
        expectedVersion: 1,
        metadata: metadata(),
      });
      expect(await settlesWithin(second, 150)).toBe(false);
      hold.resolve();
      await first;
      await expect(second).rejects.toMatchObject({ name: 'ConcurrencyError', streamId });
      expect((await store.readStream(streamId)).events.map((event) => event.data)).toEqual([
        { name: streamId },
        { by: 1, reason: 'test' },
      ]);
    });
    it('retries an append that expects any when another writer takes the version it computed', async () => {
      const streamId = uniquePrefix('any-race');
      await openTally(streamId);
      const hold = deferred();
      const inserted = deferred();
      const first = store.transaction(async (session) => {
        await session.append(
          [{ streamId, streamType: 'tally', expectedVersion: 'any', events: [incremented(1)] }],
          metadata(),
        );
        inserted.resolve();
        await hold.promise;
      });
      await inserted.promise;
      // PostgreSQL: computes version 2 too and waits on the first one's row, then loses the unique
      // (stream_id, stream_version) and must read the head again. SQLite: waits for the writer.
      const second = store.appendToStream(streamId, 'tally', [incremented(2)], {
        expectedVersion: 'any',
        metadata: metadata(),
      });
      expect(await settlesWithin(second, 150)).toBe(false);
      hold.resolve();
      await first;
      await expect(second).resolves.toMatchObject({ nextVersion: 3 });
      expect((await store.readStream(streamId)).events.map((event) => event.data)).toEqual([
        { name: streamId },
        { by: 1, reason: 'test' },
        { by: 2, reason: 'test' },
      ]);
    });
  });

  describe('commands', () => {
    /** A store where another writer appends to the stream right after each of the first `races` loads. */
    const racingStore = (races: number): { store: EventStore; loads: () => number } => {
      let loads = 0;
      const racing: EventStore = Object.create(store) as EventStore;
      Object.defineProperty(racing, 'readStream', {
        value: async (streamId: string, options?: { afterVersion?: number }) => {
          const result = await store.readStream(streamId, options);
          if (loads++ < races) {
            await store.appendToStream(streamId, 'tally', [incremented(100, 'racer')], {
              expectedVersion: 'any',
              metadata: metadata({ actor: 'racer' }),
            });
          }
          return result;
        },
      });
      return { store: racing, loads: () => loads };
    };

    it('retries a conflict with a fresh load and succeeds within its bound', async () => {
      const streamId = uniquePrefix('retry');
      await openTally(streamId);
      const racing = racingStore(2);
      const result = await handleCommand(
        racing.store,
        tallyDecider,
        { kind: 'increment', by: 1 } as TallyCommand,
        {
          streamId,
          streamType: 'tally',
          metadata: metadata(),
          maxRetries: 3,
        },
      );
      expect(racing.loads()).toBe(3);
      expect(result.version).toBe(4);
      expect(result.state.total).toBe(201);
      expect((await loadAggregate(store, tallyDecider, streamId)).state.total).toBe(201);
    });

    it('gives up after maxRetries with a 409-kind ConcurrencyError and writes nothing of its own', async () => {
      const streamId = uniquePrefix('give-up');
      await openTally(streamId);
      const racing = racingStore(Number.POSITIVE_INFINITY);
      const error: unknown = await handleCommand(
        racing.store,
        tallyDecider,
        { kind: 'increment', by: 1 },
        {
          streamId,
          streamType: 'tally',
          metadata: metadata(),
          maxRetries: 2,
        },
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect((error as DomainError).kind).toBe('conflict');
      expect(racing.loads()).toBe(3);
      const { events } = await store.readStream(streamId);
      expect(events.filter((event) => event.metadata.actor !== 'racer')).toHaveLength(1);
    });

    it('answers a stale If-Match with 412 and never retries it', async () => {
      const streamId = uniquePrefix('if-match');
      await openTally(streamId);
      await expect(
        handleCommand(
          store,
          tallyDecider,
          { kind: 'increment', by: 1 },
          {
            streamId,
            streamType: 'tally',
            metadata: metadata(),
            ifMatchVersion: 7,
          },
        ),
      ).rejects.toBeInstanceOf(VersionMismatchError);
      const result = await handleCommand(
        store,
        tallyDecider,
        { kind: 'increment', by: 1 },
        {
          streamId,
          streamType: 'tally',
          metadata: metadata(),
          ifMatchVersion: 1,
        },
      );
      expect(result.version).toBe(2);
    });

    it('reads and takes snapshots inside a session, committing them with it', async () => {
      const streamId = uniquePrefix('session-snap');
      const options = {
        streamId,
        streamType: 'tally',
        metadata: metadata(),
        snapshots: { every: 5, schemaVersion: 1 } satisfies SnapshotPolicy<TallyState>,
      };
      await store.transaction(async (session) => {
        await handleCommand(session, tallyDecider, { kind: 'open', name: streamId }, options);
        for (let index = 1; index <= 5; index++)
          await handleCommand(session, tallyDecider, { kind: 'increment', by: index }, options);
        expect((await session.loadSnapshot<TallyState>(streamId, 1))?.version).toBe(5);
      });
      expect(await store.loadSnapshot(streamId, 1)).toEqual({
        streamId,
        version: 5,
        schemaVersion: 1,
        state: { name: streamId, total: 10, increments: 4 },
      });
      const loaded = await store.transaction((session) =>
        loadAggregate(session, tallyDecider, streamId, options.snapshots),
      );
      expect(loaded).toEqual({ version: 6, state: { name: streamId, total: 15, increments: 5 } });
    });

    it('runs a command inside a session with other writes, committing together', async () => {
      const streamId = uniquePrefix('in-session');
      await store.transaction(async (session) => {
        await handleCommand(
          session,
          tallyDecider,
          { kind: 'open', name: streamId },
          {
            streamId,
            streamType: 'tally',
            metadata: metadata(),
            mustCreate: true,
          },
        );
        const result = await handleCommand(
          session,
          tallyDecider,
          { kind: 'increment', by: 4 },
          {
            streamId,
            streamType: 'tally',
            metadata: metadata(),
          },
        );
        expect(result.version).toBe(2);
      });
      expect((await db.dataSource.getRepository(TallyTotalEntity).findOneByOrFail({ streamId })).total).toBe(
        4,
      );
    });
  });

  describe('snapshots', () => {
    const policy: SnapshotPolicy<TallyState> = { every: 5, schemaVersion: 1 };

    it('loads a snapshot plus the tail into the same state as a full replay', async () => {
      const streamId = uniquePrefix('snap');
      const options = { streamId, streamType: 'tally', metadata: metadata(), snapshots: policy };
      await handleCommand(
        store,
        tallyDecider,
        { kind: 'open', name: streamId },
        { ...options, mustCreate: true },
      );
      for (let index = 1; index <= 22; index++)
        await handleCommand(store, tallyDecider, { kind: 'increment', by: index }, options);

      const snapshot = await store.loadSnapshot<TallyState>(streamId, 1);
      expect(snapshot?.version).toBe(20);
      expect(snapshot?.state).toEqual({ name: streamId, total: 190, increments: 19 });

      const reads: number[] = [];
      const counting = {
        loadSnapshot: store.loadSnapshot.bind(store),
        readStream: <E extends Event>(id: string, readOptions?: { afterVersion?: number }) => {
          reads.push(readOptions?.afterVersion ?? 0);
          return store.readStream<E>(id, readOptions);
        },
      };
      const fromSnapshot = await loadAggregate(counting, tallyDecider, streamId, policy);
      const fullReplay = await loadAggregate(store, tallyDecider, streamId);
      expect(reads).toEqual([20]);
      expect(fromSnapshot).toEqual(fullReplay);
      expect(fullReplay).toEqual({ version: 23, state: { name: streamId, total: 253, increments: 22 } });
    });

    it('ignores a snapshot of another schema version and never replaces a newer one', async () => {
      const streamId = uniquePrefix('snap-schema');
      await store.saveSnapshot({ streamId, version: 10, schemaVersion: 1, state: { total: 10 } });
      await store.saveSnapshot({ streamId, version: 5, schemaVersion: 1, state: { total: 5 } });
      expect(await store.loadSnapshot(streamId, 1)).toEqual({
        streamId,
        version: 10,
        schemaVersion: 1,
        state: { total: 10 },
      });
      expect(await store.loadSnapshot(streamId, 2)).toBeUndefined();
      await store.saveSnapshot({ streamId, version: 8, schemaVersion: 2, state: { sum: 8 } });
      expect(await store.loadSnapshot(streamId, 1)).toBeUndefined();
      expect((await store.loadSnapshot(streamId, 2))?.state).toEqual({ sum: 8 });
    });
  });

  describe('upcasting', () => {
    it('loads an event stored at schema version 1 as version 2', async () => {
      const streamId = uniquePrefix('old');
      await store.appendToStream(
        streamId,
        'tally',
        [opened(streamId), { type: 'TallyIncremented', data: { amount: 7 }, schemaVersion: 1 }],
        { expectedVersion: 'no_stream', metadata: metadata() },
      );
      const stored = await db.dataSource.query<{ schema_version: number; data: unknown }[]>(
        driver === 'postgres'
          ? `SELECT schema_version, data FROM events WHERE stream_id = $1 AND stream_version = 2`
          : `SELECT schema_version, data FROM events WHERE stream_id = ? AND stream_version = 2`,
        [streamId],
      );
      expect(stored[0].schema_version).toBe(1);
      expect(typeof stored[0].data === 'string' ? JSON.parse(stored[0].data) : stored[0].data).toEqual({
        amount: 7,
      });

      const { events } = await store.readStream(streamId);
      expect(events[1]).toMatchObject({ schemaVersion: 2, data: { by: 7, reason: 'unspecified' } });
      const fromFeed = await readAllUntil(store, events[0].position, 1, { streamPrefix: streamId });
      expect(fromFeed[0]).toMatchObject({ schemaVersion: 2, data: { by: 7, reason: 'unspecified' } });
      expect((await loadAggregate(store, tallyDecider, streamId)).state.total).toBe(7);
      // The projection saw the current version too.
      expect((await db.dataSource.getRepository(TallyTotalEntity).findOneByOrFail({ streamId })).total).toBe(
        7,
      );
    });
  });

  describe('inline projections', () => {
    it('writes the projection in the append transaction', async () => {
      const streamId = uniquePrefix('projected');
      await openTally(streamId, `${streamId}-name`);
      await store.appendToStream(streamId, 'tally', [incremented(3), incremented(4)], {
        expectedVersion: 1,
        metadata: metadata(),
      });
      expect(await db.dataSource.getRepository(TallyTotalEntity).findOneByOrFail({ streamId })).toEqual({
        streamId,
        name: `${streamId}-name`,
        total: 7,
      });
    });

    it('leaves no event behind when a projection fails', async () => {
      const streamId = uniquePrefix('poisoned');
      await openTally(streamId);
      const countEvents = async () =>
        Number(
          (await db.dataSource.query<{ count: string | number }[]>(`SELECT COUNT(*) AS count FROM events`))[0]
            .count,
        );
      const eventsBefore = await countEvents();
      const notified = appended.length;
      await expect(
        store.appendToStreams(
          [
            {
              streamId,
              streamType: 'tally',
              expectedVersion: 1,
              events: [incremented(1), incremented(POISON_INCREMENT)],
            },
            {
              streamId: uniquePrefix('bystander'),
              streamType: 'tally',
              expectedVersion: 'no_stream',
              events: [opened(uniquePrefix('bystander'))],
            },
          ],
          metadata(),
        ),
      ).rejects.toMatchObject({ code: 'poison-increment' });
      expect((await store.readStream(streamId)).version).toBe(1);
      expect(await countEvents()).toBe(eventsBefore);
      expect((await db.dataSource.getRepository(TallyTotalEntity).findOneByOrFail({ streamId })).total).toBe(
        0,
      );
      expect(appended).toHaveLength(notified);
    });

    it('turns a projection unique violation into a UniquenessViolationError', async () => {
      const name = uniquePrefix('taken');
      await openTally(uniquePrefix('first'), name);
      const second = uniquePrefix('second');
      const error = await openTally(second, name).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UniquenessViolationError);
      expect(await store.readStream(second)).toEqual({ events: [], version: 0 });
    });

    it('keeps a session usable after a failed append, rolling back only that append', async () => {
      const streamId = uniquePrefix('session');
      const sideEffect = uniquePrefix('side');
      await openTally(streamId);
      await store.transaction(async (session) => {
        const failed = await session
          .append(
            [{ streamId, streamType: 'tally', expectedVersion: 1, events: [incremented(POISON_INCREMENT)] }],
            metadata(),
          )
          .catch((caught: unknown) => caught);
        expect(failed).toBeInstanceOf(DomainError);
        await session.append(
          [{ streamId, streamType: 'tally', expectedVersion: 1, events: [incremented(2)] }],
          metadata(),
        );
        await session.manager.insert(TallyTotalEntity, { streamId: sideEffect, name: sideEffect, total: 1 });
        expect((await session.readStream(streamId)).version).toBe(2);
      });
      expect((await store.readStream(streamId)).events.map((event) => event.data)).toEqual([
        { name: streamId },
        { by: 2, reason: 'test' },
      ]);
      expect(
        await db.dataSource.getRepository(TallyTotalEntity).findOneBy({ streamId: sideEffect }),
      ).not.toBeNull();
    });

    it('rolls back every write of a transaction that throws, and notifies only after commit', async () => {
      const streamId = uniquePrefix('rollback');
      const before = appended.length;
      await expect(
        store.transaction(async (session) => {
          await session.append(
            [{ streamId, streamType: 'tally', expectedVersion: 'no_stream', events: [opened(streamId)] }],
            metadata(),
          );
          throw new Error('handler failed');
        }),
      ).rejects.toThrow('handler failed');
      expect(await store.readStream(streamId)).toEqual({ events: [], version: 0 });
      expect(await db.dataSource.getRepository(TallyTotalEntity).findOneBy({ streamId })).toBeNull();
      expect(appended).toHaveLength(before);

      await store.transaction(async (session) => {
        await session.append(
          [{ streamId, streamType: 'tally', expectedVersion: 'no_stream', events: [opened(streamId)] }],
          metadata(),
        );
        expect(appended).toHaveLength(before);
      });
      expect(appended.slice(before).map((event) => event.streamId)).toEqual([streamId]);
    });
  });

  describe('read all', () => {
    it('filters by type, reports the head, and refuses a checkpoint that names no event', async () => {
      const streamId = uniquePrefix('feed');
      const head = await store.headPosition();
      await store.appendToStream(streamId, 'tally', [opened(streamId), incremented(1), incremented(2)], {
        expectedVersion: 'no_stream',
        metadata: metadata(),
      });
      const all = await readAllUntil(store, head, 3, { streamPrefix: streamId });
      expect(all).toHaveLength(3);
      const increments = await store.readAll({
        after: all[0].position,
        limit: 10,
        types: ['TallyIncremented'],
      });
      expect(increments.map((event) => event.streamVersion)).toEqual([2, 3]);
      expect(await store.readAll({ after: head, limit: 10, types: [] })).toEqual([]);
      expect(await store.headPosition()).toBe(all[2].position);
      await expect(store.readAll({ after: all[2].position + 1_000_000n, limit: 10 })).rejects.toMatchObject({
        kind: 'not_found',
        code: 'position-not-found',
      });
      await expect(store.readAll({ limit: 0 })).rejects.toThrow(RangeError);
    });

    it('lets a reader follow many concurrent writers and see every event exactly once', async () => {
      const prefix = uniquePrefix('writers');
      const writers = 8;
      const perWriter = 25;
      const checkpoint = await store.headPosition();
      let writing = true;
      const written = Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          const streamId = `${prefix}-${writer}`;
          await openTally(streamId);
          for (let version = 1; version < perWriter; version++) {
            await store.appendToStream(streamId, 'tally', [incremented(version)], {
              expectedVersion: version,
              metadata: metadata(),
            });
          }
        }),
      ).finally(() => (writing = false));

      const seen: RecordedEvent[] = [];
      let after = checkpoint;
      const deadline = Date.now() + 20_000;
      while (writing || seen.length < writers * perWriter) {
        if (Date.now() > deadline) throw new Error(`reader saw ${seen.length} events before the deadline`);
        const page = await store.readAll({ after, limit: 7 });
        if (page.length === 0) {
          await delay(2);
          continue;
        }
        seen.push(...page.filter((event) => event.streamId.startsWith(prefix)));
        after = page[page.length - 1].position;
      }
      await written;
      expect(await store.readAll({ after, limit: 10 })).toEqual([]);

      const ids = seen.map((event) => event.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(seen).toHaveLength(writers * perWriter);
      for (let writer = 0; writer < writers; writer++) {
        const versions = seen
          .filter((event) => event.streamId === `${prefix}-${writer}`)
          .map((e) => e.streamVersion);
        expect(versions).toEqual(Array.from({ length: perWriter }, (_, index) => index + 1));
      }
    });

    it('never skips an event that commits after events with higher positions', async () => {
      const prefix = uniquePrefix('late');
      const checkpoint = await store.headPosition();
      const hold = deferred();
      const inserted = deferred<bigint>();
      const late = store.transaction(async (session) => {
        const [result] = await session.append(
          [
            {
              streamId: `${prefix}-late`,
              streamType: 'tally',
              expectedVersion: 'no_stream',
              events: [opened(prefix)],
            },
          ],
          metadata(),
        );
        inserted.resolve(result.events[0].position);
        await hold.promise;
      });
      const latePosition = await inserted.promise;
      const others = Promise.all(Array.from({ length: 5 }, (_, index) => openTally(`${prefix}-${index}`)));

      if (driver === 'postgres') {
        // The others commit while the late transaction is still open, with higher positions: a
        // reader going by position alone would pass them and never come back for the late one.
        const committed = await others;
        for (const result of committed) expect(result.events[0].position).toBeGreaterThan(latePosition);
        expect(await store.readAll({ after: checkpoint, limit: 100 })).toEqual([]);
        // Committed but held back: a reader at the end of the feed is told it is not at the end.
        expect(await store.countHeldBack()).toBeGreaterThanOrEqual(5);
      } else {
        // SQLite has one writer: nothing commits, and no reader reads, until the late one is done.
        expect(await settlesWithin(others, 150)).toBe(false);
        expect(await settlesWithin(store.readAll({ after: checkpoint, limit: 100 }), 50)).toBe(false);
      }

      hold.resolve();
      await late;
      await others;
      const seen = await readAllUntil(store, checkpoint, 6, { limit: 2, streamPrefix: prefix });
      expect(seen.map((event) => event.streamId).sort()).toEqual(
        [`${prefix}-late`, ...Array.from({ length: 5 }, (_, index) => `${prefix}-${index}`)].sort(),
      );
      expect(seen[0].position).toBe(latePosition);
      // Nothing of ours is held back once every transaction that wrote it has ended (others may
      // still hold the cluster's oldest transaction for a moment).
      await feedCaughtUp(store);
    });
  });
});

describe('event store on SQLite (one connection)', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    store = createEventStore(db.dataSource, { schemaVersions: TALLY_SCHEMA_VERSIONS });
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('is opened with WAL, synchronous=FULL, a busy timeout and foreign keys', async () => {
    const pragma = async (name: string) =>
      Object.values((await db.dataSource.query<Record<string, unknown>[]>(`PRAGMA ${name}`))[0])[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(2);
    expect(await pragma('busy_timeout')).toBe(5000);
    expect(await pragma('foreign_keys')).toBe(1);
  });

  it('serialises concurrent transactions instead of nesting them', async () => {
    const streamId = uniquePrefix('serial');
    await store.appendToStream(streamId, 'tally', [opened(streamId)], {
      expectedVersion: 'no_stream',
      metadata: metadata(),
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        store.transaction(async (session) => {
          const { version } = await session.readStream(streamId);
          await delay(1);
          await session.append(
            [{ streamId, streamType: 'tally', expectedVersion: version, events: [incremented(index)] }],
            metadata(),
          );
          if (index === 7) throw new Error('the seventh fails after appending');
        }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(1);
    const { events, version } = await store.readStream(streamId);
    expect(version).toBe(20);
    expect(events.map((event) => (event.data as { by?: number }).by)).not.toContain(7);
  });

  it('refuses a store call from inside its own transaction instead of deadlocking', async () => {
    await expect(store.transaction(() => store.readStream('anything'))).rejects.toThrow(/use its session/);
  });
});

describe('event store on PostgreSQL (transaction ids)', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    store = createEventStore(db.dataSource, { schemaVersions: TALLY_SCHEMA_VERSIONS });
  });

  afterAll(async () => {
    await db?.dispose();
  });

  const append = (streamId: string, expectedVersion: number | 'no_stream' | 'any', event: Event) => ({
    streamId,
    streamType: 'tally',
    expectedVersion,
    events: [event],
  });

  // A consumer's transaction writes its inbox row first, which fixes its transaction id; a newer
  // transaction then appends to a stream and commits before the consumer reads it. Appending after
  // that under the older id would put the stream out of version order in read-all.
  it('refuses to append after a head written by a newer transaction, keeping read-all in version order', async () => {
    const prefix = uniquePrefix('xid');
    const streamId = `${prefix}-s`;
    await store.appendToStream(streamId, 'tally', [opened(streamId)], {
      expectedVersion: 'no_stream',
      metadata: metadata(),
    });
    // The head is the feed's: held back while another test's older transaction is open.
    await feedCaughtUp(store);
    const checkpoint = await store.headPosition();
    const wroteFirst = deferred();
    const newerCommitted = deferred();
    const stale = store.transaction(async (session) => {
      await session.append([append(`${prefix}-inbox-1`, 'no_stream', noted('claimed'))], metadata());
      wroteFirst.resolve();
      await newerCommitted.promise;
      const { version } = await session.readStream(streamId);
      expect(version).toBe(2);
      await expect(
        session.append([append(streamId, 'any', incremented(9))], metadata()),
      ).rejects.toMatchObject({ name: 'ConcurrencyError', streamId });
      // A consumer lets the error roll its transaction back; the message comes again.
      await session.append([append(streamId, version, incremented(2))], metadata());
    });
    await wroteFirst.promise;
    await store.appendToStream(streamId, 'tally', [incremented(1)], {
      expectedVersion: 1,
      metadata: metadata(),
    });
    newerCommitted.resolve();
    await expect(stale).rejects.toMatchObject({ name: 'ConcurrencyError', kind: 'conflict', streamId });

    // The redelivery: a fresh transaction, newer than the one that wrote version 2.
    await store.transaction(async (session) => {
      await session.append([append(`${prefix}-inbox-2`, 'no_stream', noted('claimed'))], metadata());
      const { version } = await session.readStream(streamId);
      await session.append([append(streamId, version, incremented(2))], metadata());
    });

    const feed = await readAllUntil(store, checkpoint, 3, { streamPrefix: prefix });
    expect(feed.map((event) => [event.streamId, event.streamVersion])).toEqual([
      [streamId, 2],
      [`${prefix}-inbox-2`, 1],
      [streamId, 3],
    ]);
    expect((await store.readStream(streamId)).events.map((event) => event.streamVersion)).toEqual([1, 2, 3]);
  });
});

describe('openDatabase on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('gives a service its own schema, created once even when replicas start together', async () => {
    const replicas = await Promise.all(
      [1, 2, 3].map(() => openDatabase({ url: db.url, schema: 'fleet_inventory', poolSize: 2 })),
    );
    try {
      const [searchPath] = await replicas[0].query<{ search_path: string }[]>(`SHOW search_path`);
      expect(searchPath.search_path).toBe('fleet_inventory');
      const tables = await replicas[0].query<{ table_schema: string; table_name: string }[]>(
        `SELECT table_schema, table_name FROM information_schema.tables
         WHERE table_name IN ('events', 'snapshots', 'migrations') ORDER BY table_schema, table_name`,
      );
      expect(tables).toEqual([
        { table_schema: 'fleet_inventory', table_name: 'events' },
        { table_schema: 'fleet_inventory', table_name: 'migrations' },
        { table_schema: 'fleet_inventory', table_name: 'snapshots' },
        { table_schema: 'public', table_name: 'events' },
        { table_schema: 'public', table_name: 'migrations' },
        { table_schema: 'public', table_name: 'snapshots' },
      ]);
      const [{ count }] = await replicas[0].query<{ count: string }[]>(
        `SELECT COUNT(*) AS count FROM migrations`,
      );
      // The event store's migrations, once each, whichever replica ran them.
      expect(count).toBe(String(eventStoreMigrations.length));

      const inventory = createEventStore(replicas[1], { schemaVersions: TALLY_SCHEMA_VERSIONS });
      await inventory.appendToStream('rig-1', 'tally', [opened('rig-1')], {
        expectedVersion: 'no_stream',
        metadata: metadata(),
      });
      const publicStore = createEventStore(db.dataSource, { schemaVersions: TALLY_SCHEMA_VERSIONS });
      expect((await publicStore.readStream('rig-1')).version).toBe(0);
      expect((await inventory.readStream('rig-1')).version).toBe(1);
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
    }
  });
});
