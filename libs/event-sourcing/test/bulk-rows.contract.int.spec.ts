import {
  createEventStore,
  deleteRows,
  DomainError,
  type EventStore,
  handleCommands,
  insertRows,
  queryWithValues,
  rowProjection,
  selectRows,
  tableOf,
  updateRows,
} from '../src';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '../src/testing';
import {
  CreateGadgets1700000000200,
  CreateTallyRows1700000000300,
  GadgetEntity,
  type GadgetRow,
  TallyRowEntity,
  type TallyRow,
} from './fixtures/gadgets.table';
import {
  TALLY_SCHEMA_VERSIONS,
  tallyDecider,
  type TallyCommand,
  type TallyEvent,
} from './fixtures/tally.decider';
import { metadata, uniquePrefix } from './support';

const gadgets = tableOf(GadgetEntity);
const tallyRows = tableOf(TallyRowEntity);

const gadget = (id: string, overrides: Partial<GadgetRow> = {}): GadgetRow => ({
  id,
  label: `gadget ${id}`,
  count: 1,
  serial: '9007199254740993',
  tags: ['a'],
  note: null,
  ...overrides,
});

/** Tally rows kept by a fold, so the store's appends exercise `rowProjection`. */
const tallyRowsProjection = rowProjection<TallyRow, TallyEvent>({
  name: 'tally-rows',
  table: tallyRows,
  handles: ['TallyOpened', 'TallyIncremented'],
  rowIdOf: (event) => event.streamId,
  createdBy: ['TallyOpened'],
  evolve: (row, event) => {
    if (event.type === 'TallyOpened')
      return { streamId: event.streamId, name: event.data.name, total: 0, increments: 0 };
    if (event.type !== 'TallyIncremented' || row === null) return row;
    // An increment by zero deletes the row: the fold's way to say "gone".
    if (event.data.by === 0) return null;
    return { ...row, total: row.total + event.data.by, increments: row.increments + 1 };
  },
});

describe.each(TEST_DRIVERS)('bulk rows and folds on %s', (driver) => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase(driver, {
      entities: [GadgetEntity, TallyRowEntity],
      migrations: [CreateGadgets1700000000200, CreateTallyRows1700000000300],
    });
    store = createEventStore(db.dataSource, {
      schemaVersions: TALLY_SCHEMA_VERSIONS,
      projections: [tallyRowsProjection],
    });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const tally = (streamId: string) =>
    selectRows(db.dataSource.manager, tallyRows, ['streamId'], [{ streamId }]).then(([row]) => row);

  describe('insertRows, selectRows, updateRows, deleteRows', () => {
    it('round-trips every kind of column exactly, including text SQL would choke on', async () => {
      const prefix = uniquePrefix('kinds');
      const rows = [
        gadget(`${prefix}-1`, { label: `it's "quoted", \\ and ; DROP TABLE gadgets; --`, note: 'ünïcödé ✓' }),
        gadget(`${prefix}-2`, { serial: '-9223372036854775808', tags: [], count: -7 }),
        gadget(`${prefix}-3`, { tags: ['x', 'y'], note: '' }),
      ];
      await insertRows(db.dataSource.manager, gadgets, rows);
      const found = await selectRows(
        db.dataSource.manager,
        gadgets,
        ['id'],
        rows.map(({ id }) => ({ id })),
      );
      expect(found.sort((a, b) => a.id.localeCompare(b.id))).toEqual(rows);
    });

    it('inserts and finds more rows than one SQLite statement can bind', async () => {
      const prefix = uniquePrefix('many');
      // 6 columns: about 5,460 rows per SQLite statement, so this takes several.
      const rows = Array.from({ length: 12_000 }, (_, index) =>
        gadget(`${prefix}-${index}`, { count: index }),
      );
      await insertRows(db.dataSource.manager, gadgets, rows);
      const keys = rows.filter((_, index) => index % 3 === 0).map(({ id }) => ({ id }));
      const found = await selectRows(db.dataSource.manager, gadgets, ['id'], keys);
      expect(found).toHaveLength(4_000);
      expect(found.reduce((sum, row) => sum + row.count, 0)).toBe(
        rows.filter((_, index) => index % 3 === 0).reduce((sum, row) => sum + row.count, 0),
      );
    });

    it('finds each row once however often its key is asked for, and by a non-key column', async () => {
      const prefix = uniquePrefix('dupes');
      await insertRows(db.dataSource.manager, gadgets, [gadget(`${prefix}-1`, { label: `${prefix}-label` })]);
      const byId = await selectRows(
        db.dataSource.manager,
        gadgets,
        ['id'],
        [{ id: `${prefix}-1` }, { id: `${prefix}-1` }],
      );
      expect(byId).toHaveLength(1);
      const byLabel = await selectRows(
        db.dataSource.manager,
        gadgets,
        ['label'],
        [{ label: `${prefix}-label` }],
      );
      expect(byLabel.map((row) => row.id)).toEqual([`${prefix}-1`]);
      expect(await selectRows(db.dataSource.manager, gadgets, ['id'], [])).toEqual([]);
    });

    it('updates the named fields of the rows given and no others', async () => {
      const prefix = uniquePrefix('update');
      const rows = [1, 2, 3].map((n) => gadget(`${prefix}-${n}`, { count: n }));
      await insertRows(db.dataSource.manager, gadgets, rows);
      await updateRows(
        db.dataSource.manager,
        gadgets,
        [
          { ...rows[0], count: 10, label: 'relabelled', note: 'set' },
          { ...rows[1], count: 20, label: 'relabelled' },
        ],
        ['count', 'note'],
      );
      const found = await selectRows(
        db.dataSource.manager,
        gadgets,
        ['id'],
        rows.map(({ id }) => ({ id })),
      );
      const byId = new Map(found.map((row) => [row.id, row]));
      expect(byId.get(`${prefix}-1`)).toEqual({ ...rows[0], count: 10, note: 'set' });
      expect(byId.get(`${prefix}-2`)).toEqual({ ...rows[1], count: 20 });
      expect(byId.get(`${prefix}-3`)).toEqual(rows[2]);
      await updateRows(db.dataSource.manager, gadgets, [{ ...rows[2], label: 'every field', tags: ['z'] }]);
      const [third] = await selectRows(db.dataSource.manager, gadgets, ['id'], [{ id: rows[2].id }]);
      expect(third).toEqual({ ...rows[2], label: 'every field', tags: ['z'] });
    });

    it('deletes by any set of fields', async () => {
      const prefix = uniquePrefix('delete');
      const rows = [1, 2, 3].map((n) =>
        gadget(`${prefix}-${n}`, { count: n, label: n === 3 ? 'keep' : 'drop' }),
      );
      await insertRows(db.dataSource.manager, gadgets, rows);
      await deleteRows(
        db.dataSource.manager,
        gadgets,
        ['id', 'label'],
        [
          { id: `${prefix}-1`, label: 'drop' },
          { id: `${prefix}-2`, label: 'not its label' },
          { id: `${prefix}-3`, label: 'drop' },
        ],
      );
      const left = await selectRows(
        db.dataSource.manager,
        gadgets,
        ['id'],
        rows.map(({ id }) => ({ id })),
      );
      expect(left.map((row) => row.id).sort()).toEqual([`${prefix}-2`, `${prefix}-3`]);
    });

    it('runs a statement of its own against many values', async () => {
      const prefix = uniquePrefix('join');
      await insertRows(
        db.dataSource.manager,
        gadgets,
        [1, 2].map((n) => gadget(`${prefix}-${n}`, { count: n })),
      );
      const rows = await queryWithValues<{ id: string; wanted: number | string }>(
        db.dataSource.manager,
        [
          { name: 'id', kind: 'text' },
          { name: 'wanted', kind: 'integer' },
        ],
        [
          [`${prefix}-1`, 5],
          [`${prefix}-2`, 2],
          [`${prefix}-9`, 1],
        ],
        'SELECT g.id, v.wanted FROM gadgets g JOIN v ON v.id = g.id WHERE g.count < v.wanted',
      );
      expect(rows.map((row) => [row.id, Number(row.wanted)])).toEqual([[`${prefix}-1`, 5]]);
    });
  });

  describe('rowProjection', () => {
    it('folds every event of an append into one write per row, in order', async () => {
      const streamId = uniquePrefix('fold');
      await store.appendToStream(
        streamId,
        'tally',
        [
          { type: 'TallyOpened', data: { name: streamId } },
          { type: 'TallyIncremented', data: { by: 2, reason: 't' } },
          { type: 'TallyIncremented', data: { by: 3, reason: 't' } },
        ],
        { expectedVersion: 'no_stream', metadata: metadata() },
      );
      expect(await tally(streamId)).toEqual({ streamId, name: streamId, total: 5, increments: 2 });
      await store.appendToStream(
        streamId,
        'tally',
        [{ type: 'TallyIncremented', data: { by: 4, reason: 't' } }],
        {
          expectedVersion: 3,
          metadata: metadata(),
        },
      );
      expect(await tally(streamId)).toEqual({ streamId, name: streamId, total: 9, increments: 3 });
    });

    it('deletes a row its fold ends, and never writes a row born and ended in one append', async () => {
      const kept = uniquePrefix('ended');
      const transient = uniquePrefix('transient');
      await store.appendToStream(kept, 'tally', [{ type: 'TallyOpened', data: { name: kept } }], {
        expectedVersion: 'no_stream',
        metadata: metadata(),
      });
      await store.appendToStreams(
        [
          {
            streamId: kept,
            streamType: 'tally',
            expectedVersion: 1,
            events: [{ type: 'TallyIncremented', data: { by: 0, reason: 'end' } }],
          },
          {
            streamId: transient,
            streamType: 'tally',
            expectedVersion: 'no_stream',
            events: [
              { type: 'TallyOpened', data: { name: transient } },
              { type: 'TallyIncremented', data: { by: 0, reason: 'end' } },
            ],
          },
        ],
        metadata(),
      );
      expect(await tally(kept)).toBeUndefined();
      expect(await tally(transient)).toBeUndefined();
    });
  });

  describe('rowProjection createdBy', () => {
    it('does not look up the row of a creating event: a row there already fails the append', async () => {
      const streamId = uniquePrefix('created');
      // A row no event made (a bug elsewhere): the creating event must not silently overwrite it.
      await insertRows(db.dataSource.manager, tallyRows, [
        { streamId, name: 'stray', total: 7, increments: 1 },
      ]);
      await expect(
        store.appendToStream(streamId, 'tally', [{ type: 'TallyOpened', data: { name: streamId } }], {
          expectedVersion: 'no_stream',
          metadata: metadata(),
        }),
      ).rejects.toThrow();
      expect((await store.readStream(streamId)).version).toBe(0);
      expect(await tally(streamId)).toEqual({ streamId, name: 'stray', total: 7, increments: 1 });
    });
  });

  describe('rowProjection rebuilding', () => {
    it('refills an emptied table page by page as the appends wrote it, finding the rows of earlier pages', async () => {
      const streamId = uniquePrefix('rebuilt');
      await store.appendToStream(
        streamId,
        'tally',
        [
          { type: 'TallyOpened', data: { name: streamId } },
          { type: 'TallyIncremented', data: { by: 2, reason: 't' } },
          { type: 'TallyIncremented', data: { by: 3, reason: 't' } },
          { type: 'TallyIncremented', data: { by: 4, reason: 't' } },
        ],
        { expectedVersion: 'no_stream', metadata: metadata() },
      );
      const live = await tally(streamId);
      const { events } = await store.readStream(streamId);
      await deleteRows(db.dataSource.manager, tallyRows, ['streamId'], [{ streamId }]);

      const rebuild = tallyRowsProjection.rebuilding();
      for (const page of [events.slice(0, 2), events.slice(2)])
        await store.transaction(({ manager }) => rebuild.apply(page, manager));
      expect(await tally(streamId)).toEqual(live);
      expect(live).toEqual({ streamId, name: streamId, total: 9, increments: 3 });
    });

    it('does not look up a row it has not written: the table was emptied before the rebuild', async () => {
      const streamId = uniquePrefix('unread');
      await store.appendToStream(streamId, 'tally', [{ type: 'TallyOpened', data: { name: streamId } }], {
        expectedVersion: 'no_stream',
        metadata: metadata(),
      });
      await store.appendToStream(
        streamId,
        'tally',
        [{ type: 'TallyIncremented', data: { by: 2, reason: 't' } }],
        { expectedVersion: 1, metadata: metadata() },
      );
      const { events } = await store.readStream(streamId);
      // The live fold reads the row and adds to it; the rebuild's fold starts the row from nothing
      // (an increment of no tally writes nothing), so the row left here stays as it is.
      await store.transaction(({ manager }) =>
        tallyRowsProjection.rebuilding().apply(events.slice(1), manager),
      );
      expect(await tally(streamId)).toEqual({ streamId, name: streamId, total: 2, increments: 1 });
    });
  });

  describe('handleCommands', () => {
    const open = (name: string) => ({ streamId: name, command: { kind: 'open', name } as TallyCommand });

    it('commits many streams in one transaction, grouped by metadata', async () => {
      const names = [1, 2, 3].map((n) => uniquePrefix(`batch-${n}`));
      const batch = await handleCommands(store, tallyDecider, names.map(open), {
        streamType: 'tally',
        metadata: (state) => metadata({ facilityId: state.name === names[0] ? 'tx-01' : 'tx-02' }),
      });
      expect(batch.results.map((result) => result.version)).toEqual([1, 1, 1]);
      const events = await Promise.all(names.map((name) => store.readStream(name)));
      expect(events.map(({ events: [first] }) => first.metadata.facilityId)).toEqual([
        'tx-01',
        'tx-02',
        'tx-02',
      ]);
      expect((await tally(names[2])).name).toBe(names[2]);
    });

    it('appends the commands that name their own metadata together, each stream with its own', async () => {
      const names = [1, 2, 3].map((n) => uniquePrefix(`own-${n}`));
      const byCause = (cause: string) => metadata({ causationId: cause });
      const causeA = byCause('cause-a');
      const batch = await handleCommands(
        store,
        tallyDecider,
        [
          { ...open(names[0]), metadata: causeA },
          { ...open(names[1]), metadata: byCause('cause-b') },
          open(names[2]),
        ],
        { streamType: 'tally', metadata: byCause('the-batch') },
      );
      expect(batch.results.map((result) => result.version)).toEqual([1, 1, 1]);
      const causes = await Promise.all(
        names.map(async (name) => (await store.readStream(name)).events[0].metadata.causationId),
      );
      expect(causes).toEqual(['cause-a', 'cause-b', 'the-batch']);
    });

    it('collects refusals and appends the rest, or lets beforeAppend refuse them all', async () => {
      const existing = uniquePrefix('exists');
      await handleCommands(store, tallyDecider, [open(existing)], {
        streamType: 'tally',
        metadata: metadata(),
      });
      const fresh = uniquePrefix('fresh');
      const collected = await handleCommands(store, tallyDecider, [open(existing), open(fresh)], {
        streamType: 'tally',
        metadata: metadata(),
        rejections: 'collect',
      });
      expect(collected.rejected.map(({ command, error }) => [command.streamId, error.code])).toEqual([
        [existing, 'tally-exists'],
      ]);
      expect(collected.results.map((result) => result.command.streamId)).toEqual([fresh]);

      const refused = uniquePrefix('refused');
      await expect(
        handleCommands(store, tallyDecider, [open(refused)], {
          streamType: 'tally',
          metadata: metadata(),
          beforeAppend: async (decided) => {
            throw new DomainError('conflict', 'refused', `refusing ${decided.length}`);
          },
        }),
      ).rejects.toMatchObject({ code: 'refused', message: 'refusing 1' });
      expect((await store.readStream(refused)).version).toBe(0);
    });

    it('decides from the state given without reading the stream, and a stale one conflicts', async () => {
      const name = uniquePrefix('loaded');
      await handleCommands(store, tallyDecider, [open(name)], { streamType: 'tally', metadata: metadata() });
      const stale = { state: { name, total: 0, increments: 0 }, version: 0 };
      await expect(
        handleCommands(
          store,
          tallyDecider,
          [{ streamId: name, command: { kind: 'increment', by: 1 }, loaded: stale }],
          {
            streamType: 'tally',
            metadata: metadata(),
            maxRetries: 0,
          },
        ),
      ).rejects.toMatchObject({ code: 'concurrent-modification' });
      let reads = 0;
      const result = await handleCommands(
        store,
        tallyDecider,
        async () => {
          reads++;
          return [
            {
              streamId: name,
              command: { kind: 'increment', by: 1 } as TallyCommand,
              loaded: { ...stale, version: 1 },
            },
          ];
        },
        {
          streamType: 'tally',
          metadata: metadata(),
          answer: async (results, session) => (await session.readStream(results[0].command.streamId)).version,
        },
      );
      expect(reads).toBe(1);
      expect(result.answer).toBe(2);
      expect((await tally(name)).total).toBe(1);
    });

    it('refuses a batch that names one stream twice', async () => {
      const name = uniquePrefix('twice');
      await expect(
        handleCommands(store, tallyDecider, [open(name), open(name)], {
          streamType: 'tally',
          metadata: metadata(),
        }),
      ).rejects.toThrow(/twice/);
    });
  });
});
