import type { EntityManager } from 'typeorm';
import type { Event, EventMetadata, RecordedEvent } from './event';

/**
 * `no_stream`: the stream must not exist yet. A number: the stream must be at exactly that
 * version (0 is the same as `no_stream`). `any`: no check.
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

/** An event to append; `eventId` defaults to a random uuid, `schemaVersion` to the current one. */
export interface NewEvent<E extends Event = Event> {
  readonly type: E['type'];
  readonly data: E['data'];
  readonly eventId?: string;
  readonly schemaVersion?: number;
}

export interface StreamAppend<E extends Event = Event> {
  readonly streamId: string;
  /** The aggregate kind, e.g. `order`, `rig`. Stored for projections and diagnostics. */
  readonly streamType: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly NewEvent<E>[];
  /**
   * This stream's events' metadata, when not the append's: one append of many streams whose events
   * have different causes (a consumer's run of messages, each the cause of its own rigs' events),
   * still all or nothing and in as few statements as the dialect allows. Default: the metadata
   * given to the append. Appends sharing one object share its serialisation.
   */
  readonly metadata?: EventMetadata;
}

export interface AppendResult {
  readonly streamId: string;
  /** The stream's version after the append. */
  readonly nextVersion: number;
  readonly events: readonly RecordedEvent[];
}

export interface ReadStreamOptions {
  /** Only events with streamVersion > this. Default 0. */
  readonly afterVersion?: number;
  readonly maxCount?: number;
}

export interface ReadStreamResult<E extends Event = Event> {
  readonly events: readonly RecordedEvent<E>[];
  /** The stream's current version; 0 when it does not exist. */
  readonly version: number;
}

export interface ReadAllOptions {
  /**
   * Resume after the event at this position: the last one readAll returned to you. Omit or 0n to
   * start at the beginning. Safe under concurrent writers: an event that commits late is never
   * skipped. Use only positions readAll returned; on PostgreSQL the order is commit-safe
   * (transaction id, then position), not numeric, so a position from an append result is not a
   * valid checkpoint. A position that names no event is refused (`not_found`).
   */
  readonly after?: bigint;
  readonly limit: number;
  /** Only these event types. */
  readonly types?: readonly string[];
  /**
   * Ends the page once its events' data (as JSON, in bytes) reach this: a page holds less than
   * `maxBytes` plus its last event, and always at least one event however large. Default: no bound
   * but `limit`. A page shorter than `limit` is then not the end of the feed; an empty one is.
   */
  readonly maxBytes?: number;
}

/** The transaction the feed waits for (see `EventStore.heldBack`). */
export interface FeedBlocker {
  /** Its transaction id (decimal): the same blocker while it stays the same. */
  readonly transactionId: string;
  /** Its server process; undefined for a prepared transaction (two-phase commit), which has none. */
  readonly pid?: number;
  /** Seconds since it began; undefined when the store's role may not see it (grant pg_read_all_stats). */
  readonly ageSeconds?: number;
  /** `idle in transaction`, `active`, `prepared`…; undefined when hidden from the store's role. */
  readonly state?: string;
  readonly application?: string;
  /** The database it runs in: any database of the cluster holds back every feed. */
  readonly database?: string;
}

/** Committed events the feed cannot return yet, and what they wait for. */
export interface HeldBackFeed {
  readonly events: number;
  /** Set when events are held back and the transaction in the way is still open. */
  readonly blocker?: FeedBlocker;
}

export interface Snapshot<State = unknown> {
  readonly streamId: string;
  readonly version: number;
  /** Bump when the state's shape changes; a snapshot of another schema is ignored (full replay). */
  readonly schemaVersion: number;
  readonly state: State;
}

/**
 * A projection written in the same transaction as the events it reads, so a service's own query
 * tables are always consistent with its writes. Throwing aborts the whole append.
 */
export interface InlineProjection {
  readonly name: string;
  /** Event types it handles; others are not passed to it. */
  readonly handles: readonly string[];
  apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void>;
}

/** The work of one transaction: appends, reads, and any other writes on `manager` commit together. */
export interface EventStoreSession {
  readonly manager: EntityManager;
  readStream<E extends Event = Event>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<ReadStreamResult<E>>;
  /**
   * Appends to several streams atomically and runs the inline projections on the new events. A
   * failed append undoes only itself (a savepoint): the session stays usable on both drivers.
   */
  append(appends: readonly StreamAppend[], metadata: EventMetadata): Promise<readonly AppendResult[]>;
  loadSnapshot<State>(streamId: string, schemaVersion: number): Promise<Snapshot<State> | undefined>;
  /** Commits with the session. */
  saveSnapshot<State>(snapshot: Snapshot<State>): Promise<void>;
}

export interface EventStore {
  readonly dialect: 'sqlite' | 'postgres';
  readStream<E extends Event = Event>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<ReadStreamResult<E>>;
  appendToStream<E extends Event = Event>(
    streamId: string,
    streamType: string,
    events: readonly NewEvent<E>[],
    options: { expectedVersion: ExpectedVersion; metadata: EventMetadata },
  ): Promise<AppendResult>;
  appendToStreams(
    appends: readonly StreamAppend[],
    metadata: EventMetadata,
  ): Promise<readonly AppendResult[]>;
  /** Events of all streams in commit order (see `ReadAllOptions.after`). */
  readAll(options: ReadAllOptions): Promise<readonly RecordedEvent[]>;
  /** The position of the last event readAll can return now, or 0n for an empty store. */
  headPosition(): Promise<bigint>;
  /**
   * Committed events readAll cannot return yet. On PostgreSQL, events of transactions newer than
   * the oldest transaction still open anywhere in the cluster wait (that keeps the feed gap-free);
   * a reader that found nothing after its checkpoint is at the end only when this is 0. Always 0
   * on SQLite.
   */
  countHeldBack(): Promise<number>;
  /**
   * `countHeldBack` and the transaction the feed waits for: the oldest transaction open anywhere in
   * the cluster that has written something (or a prepared one). `{ events: 0 }` on SQLite.
   */
  heldBack(): Promise<HeldBackFeed>;
  /**
   * Committed events after the checkpoint `after` (0n: from the start) in readAll's order, including
   * the ones readAll still holds back: how far a reader at `after` is from the real head. Counts at
   * most `limit`; reads no event data. A position that names no event is refused (`not_found`).
   */
  countAfter(after: bigint, limit: number): Promise<number>;
  /** Runs `work` in one transaction (serialised on SQLite, which has a single writer). */
  transaction<T>(work: (session: EventStoreSession) => Promise<T>): Promise<T>;
  loadSnapshot<State>(streamId: string, schemaVersion: number): Promise<Snapshot<State> | undefined>;
  saveSnapshot<State>(snapshot: Snapshot<State>): Promise<void>;
}
