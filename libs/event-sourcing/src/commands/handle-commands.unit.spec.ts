import type { Decider } from '../decider';
import { ConcurrencyError, DomainError, VersionMismatchError } from '../errors';
import type { Event, EventMetadata, RecordedEvent } from '../event';
import { handleCommand } from './handle-command';
import { loadAggregate } from './load-aggregate';
import type { SnapshotPolicy } from './snapshot-policy';
import type {
  AppendResult,
  EventStore,
  EventStoreSession,
  HeldBackFeed,
  ReadStreamOptions,
  ReadStreamResult,
  Snapshot,
  StreamAppend,
} from '../event-store';

type Added = Event<'Added', { amount: number }>;
type AddCommand = { amount: number };
interface Sum {
  readonly total: number;
}

const adder: Decider<AddCommand, Sum, Added> = {
  initialState: () => ({ total: 0 }),
  decide: (command) => {
    if (command.amount < 0) throw new DomainError('invalid', 'negative', 'only additions');
    return command.amount === 0 ? [] : [{ type: 'Added', data: { amount: command.amount } }];
  },
  evolve: (state, event) => ({ total: state.total + event.data.amount }),
};

const metadata: EventMetadata = {
  correlationId: 'c-1',
  causationId: null,
  actor: 'test',
  facilityId: 'tx-01',
  occurredAt: '2026-11-27T10:00:00.000Z',
};

/**
 * The command handler's collaborator, in memory: one stream, a snapshot slot, and a switch that
 * makes the next appends lose a race. The event store's own behaviour is tested against the real
 * databases (test/event-store.contract.int.spec.ts).
 */
class InMemoryStore implements EventStore {
  readonly dialect = 'sqlite' as const;
  readonly events: RecordedEvent<Added>[] = [];
  readonly appends: StreamAppend[] = [];
  readonly snapshots = new Map<string, Snapshot>();
  readonly snapshotReads: number[] = [];
  conflictsToRaise = 0;

  async readStream<E extends Event = Event>(
    _streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<ReadStreamResult<E>> {
    const after = options.afterVersion ?? 0;
    this.snapshotReads.push(after);
    const events = this.events.filter((event) => event.streamVersion > after);
    return { events: events as unknown as RecordedEvent<E>[], version: this.events.length };
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<readonly AppendResult[]> {
    this.appends.push(...appends);
    const [append] = appends;
    if (this.conflictsToRaise > 0) {
      this.conflictsToRaise -= 1;
      throw new ConcurrencyError(append.streamId, append.expectedVersion, this.events.length);
    }
    const recorded = append.events.map((event) => {
      const streamVersion = this.events.length + 1;
      const stored = {
        eventId: `e-${streamVersion}`,
        type: 'Added' as const,
        schemaVersion: 1,
        data: event.data as Added['data'],
        streamId: append.streamId,
        streamType: append.streamType,
        streamVersion,
        position: BigInt(streamVersion),
        metadata,
      };
      this.events.push(stored);
      return stored;
    });
    return [{ streamId: append.streamId, nextVersion: this.events.length, events: recorded }];
  }

  async appendToStream(): Promise<AppendResult> {
    throw new Error('not used by the command handler');
  }

  async readAll(): Promise<readonly RecordedEvent[]> {
    throw new Error('not used by the command handler');
  }

  async headPosition(): Promise<bigint> {
    throw new Error('not used by the command handler');
  }

  async countHeldBack(): Promise<number> {
    throw new Error('not used by the command handler');
  }

  async heldBack(): Promise<HeldBackFeed> {
    throw new Error('not used by the command handler');
  }

  async countAfter(): Promise<number> {
    throw new Error('not used by the command handler');
  }

  /** No isolation to model: the session is the store itself. */
  async transaction<T>(work: (session: EventStoreSession) => Promise<T>): Promise<T> {
    return work({
      manager: undefined as never,
      readStream: (streamId, options) => this.readStream(streamId, options),
      append: (appends) => this.appendToStreams(appends),
      loadSnapshot: (streamId, schemaVersion) => this.loadSnapshot(streamId, schemaVersion),
      saveSnapshot: (snapshot) => this.saveSnapshot(snapshot),
    });
  }

  async loadSnapshot<State>(streamId: string, schemaVersion: number): Promise<Snapshot<State> | undefined> {
    const snapshot = this.snapshots.get(streamId);
    return snapshot?.schemaVersion === schemaVersion ? (snapshot as Snapshot<State>) : undefined;
  }

  async saveSnapshot<State>(snapshot: Snapshot<State>): Promise<void> {
    this.snapshots.set(snapshot.streamId, snapshot);
  }
}

const options = { streamId: 'sum-1', streamType: 'sum', metadata };

describe('handleCommand', () => {
  it('appends the decided events at the loaded version and returns the new state and version', async () => {
    const store = new InMemoryStore();
    await handleCommand(store, adder, { amount: 2 }, options);
    const result = await handleCommand(store, adder, { amount: 3 }, options);
    expect(result.state).toEqual({ total: 5 });
    expect(result.version).toBe(2);
    expect(store.appends.map((append) => append.expectedVersion)).toEqual([0, 1]);
  });

  it('appends nothing when the decider decides nothing', async () => {
    const store = new InMemoryStore();
    const result = await handleCommand(store, adder, { amount: 0 }, options);
    expect(result).toEqual({ state: { total: 0 }, version: 0, events: [] });
    expect(store.appends).toHaveLength(0);
  });

  it('retries a conflict with a fresh load up to maxRetries', async () => {
    const store = new InMemoryStore();
    store.conflictsToRaise = 2;
    const result = await handleCommand(store, adder, { amount: 1 }, { ...options, maxRetries: 2 });
    expect(result.version).toBe(1);
    expect(store.appends).toHaveLength(3);
  });

  it('gives up after the default three retries with the conflict', async () => {
    const store = new InMemoryStore();
    store.conflictsToRaise = Number.POSITIVE_INFINITY;
    await expect(handleCommand(store, adder, { amount: 1 }, options)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect(store.appends).toHaveLength(4);
  });

  it('never retries a command with If-Match, and refuses a stale one without appending', async () => {
    const store = new InMemoryStore();
    store.conflictsToRaise = 1;
    await expect(
      handleCommand(store, adder, { amount: 1 }, { ...options, ifMatchVersion: 0 }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(store.appends).toHaveLength(1);
    await expect(
      handleCommand(store, adder, { amount: 1 }, { ...options, ifMatchVersion: 4 }),
    ).rejects.toBeInstanceOf(VersionMismatchError);
    expect(store.appends).toHaveLength(1);
  });

  it('appends a creating command with no_stream and does not retry it', async () => {
    const store = new InMemoryStore();
    store.conflictsToRaise = 1;
    await expect(
      handleCommand(store, adder, { amount: 1 }, { ...options, mustCreate: true }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(store.appends.map((append) => append.expectedVersion)).toEqual(['no_stream']);
  });

  it('lets a domain error through without retrying', async () => {
    const store = new InMemoryStore();
    await expect(handleCommand(store, adder, { amount: -1 }, options)).rejects.toMatchObject({
      code: 'negative',
    });
    expect(store.appends).toHaveLength(0);
  });
});

describe('snapshots in the command handler', () => {
  const policy: SnapshotPolicy<Sum> = {
    every: 3,
    schemaVersion: 2,
    toSnapshot: (state) => ({ t: state.total }),
    fromSnapshot: (stored) => ({ total: (stored as { t: number }).t }),
  };

  it('takes a snapshot each time the version crosses a multiple of `every`', async () => {
    const store = new InMemoryStore();
    for (let amount = 1; amount <= 7; amount++)
      await handleCommand(store, adder, { amount }, { ...options, snapshots: policy });
    expect(store.snapshots.get('sum-1')).toEqual({
      streamId: 'sum-1',
      version: 6,
      schemaVersion: 2,
      state: { t: 21 },
    });
  });

  it('loads the snapshot and only the events after it', async () => {
    const store = new InMemoryStore();
    for (let amount = 1; amount <= 7; amount++) await handleCommand(store, adder, { amount }, options);
    await store.saveSnapshot({ streamId: 'sum-1', version: 6, schemaVersion: 2, state: { t: 21 } });
    store.snapshotReads.length = 0;
    expect(await loadAggregate(store, adder, 'sum-1', policy)).toEqual({ state: { total: 28 }, version: 7 });
    expect(store.snapshotReads).toEqual([6]);
    expect(await loadAggregate(store, adder, 'sum-1', { ...policy, schemaVersion: 3 })).toEqual({
      state: { total: 28 },
      version: 7,
    });
  });
});
