import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { withDatabaseLock } from '../database/database-lock';
import { dialectOf } from '../database/dialect';
import { ConcurrencyError, DomainError } from '../errors';
import type { Event, EventMetadata, RecordedEvent } from '../event';
import type {
  AppendResult,
  EventStore,
  EventStoreSession,
  ExpectedVersion,
  HeldBackFeed,
  InlineProjection,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamResult,
  Snapshot,
  StreamAppend,
} from '../event-store';
import { postgresEventStoreDialect } from '../postgres/postgres-event-store.dialect';
import { sqliteEventStoreDialect } from '../sqlite/sqlite-event-store.dialect';
import { type Upcaster, Upcasters } from '../upcasting';
import type {
  EventRowToInsert,
  EventStoreDialect,
  SqlExecutor,
  StoredEvent,
  StreamHead,
} from './event-store-dialect';
import { retryOnConflict } from '../commands/retry-on-conflict';
import { tracedAppend } from '../tracing/append-span';

export interface EventStoreOptions {
  /** The current schema version of every event type the service writes. */
  readonly schemaVersions: Readonly<Record<string, number>>;
  readonly upcasters?: readonly Upcaster[];
  /** Run inside each append's transaction, in this order. */
  readonly projections?: readonly InlineProjection[];
  /**
   * Called after a commit with the events it made durable (to wake the outbox relay, count
   * metrics). It must not throw: the events are committed whatever it does.
   */
  readonly onAppended?: (events: readonly RecordedEvent[]) => void;
}

/**
 * The event store on a TypeORM DataSource opened by `openDatabase` (PostgreSQL or SQLite), with
 * `eventStoreMigrations` applied.
 */
export function createEventStore(dataSource: DataSource, options: EventStoreOptions): EventStore {
  return new TypeOrmEventStore(dataSource, options);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Projection {
  readonly projection: InlineProjection;
  readonly handles: ReadonlySet<string>;
}

class TypeOrmEventStore implements EventStore {
  readonly dialect: 'sqlite' | 'postgres';
  private readonly sql: EventStoreDialect;
  private readonly schemaVersions: ReadonlyMap<string, number>;
  private readonly upcasters: Upcasters;
  private readonly projections: readonly Projection[];
  /** Every event type some inline projection handles. */
  private readonly projectedTypes: ReadonlySet<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: EventStoreOptions,
  ) {
    this.dialect = dialectOf(dataSource);
    this.sql = this.dialect === 'postgres' ? postgresEventStoreDialect : sqliteEventStoreDialect;
    this.schemaVersions = new Map(Object.entries(options.schemaVersions));
    for (const [type, version] of this.schemaVersions) {
      if (!Number.isInteger(version) || version < 1)
        throw new Error(`schema version of ${type} must be a positive integer, not ${version}`);
    }
    this.upcasters = new Upcasters(options.upcasters);
    const names = new Set<string>();
    this.projections = (options.projections ?? []).map((projection) => {
      if (names.has(projection.name)) throw new Error(`two inline projections named ${projection.name}`);
      names.add(projection.name);
      return { projection, handles: new Set(projection.handles) };
    });
    this.projectedTypes = new Set(this.projections.flatMap(({ handles }) => [...handles]));
  }

  readStream<E extends Event = Event>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<ReadStreamResult<E>> {
    return withDatabaseLock(this.dataSource, () => this.readStreamWith(this.dataSource, streamId, options));
  }

  async appendToStream<E extends Event = Event>(
    streamId: string,
    streamType: string,
    events: readonly NewEvent<E>[],
    options: { expectedVersion: ExpectedVersion; metadata: EventMetadata },
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams(
      [{ streamId, streamType, expectedVersion: options.expectedVersion, events }],
      options.metadata,
    );
    return result;
  }

  async appendToStreams(
    appends: readonly StreamAppend[],
    metadata: EventMetadata,
  ): Promise<readonly AppendResult[]> {
    const results = await tracedAppend(this.dialect, appends, metadata, (traced, tracedAppends) =>
      retryingAny(appends, () =>
        this.needsTransaction(tracedAppends)
          ? withDatabaseLock(this.dataSource, () =>
              this.dataSource.transaction((manager) => this.appendWith(manager, tracedAppends, traced)),
            )
          : // A single statement is a transaction of its own: one round trip in all.
            this.appendWith(this.dataSource.manager, tracedAppends, traced),
      ),
    );
    this.notify(results.flatMap((result) => result.events));
    return results;
  }

  async readAll(options: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    const after = options.after ?? 0n;
    if (after < 0n) throw new RangeError(`readAll: after must not be negative, not ${after}`);
    if (!Number.isInteger(options.limit) || options.limit < 1)
      throw new RangeError(`readAll: limit must be a positive integer, not ${options.limit}`);
    const { maxBytes } = options;
    if (maxBytes !== undefined && (!Number.isInteger(maxBytes) || maxBytes < 1))
      throw new RangeError(`readAll: maxBytes must be a positive integer, not ${maxBytes}`);
    const types = options.types === undefined ? undefined : [...options.types];
    if (types?.length === 0) return [];
    const stored = await withDatabaseLock(this.dataSource, async () => {
      const rows = await this.sql.readAll(this.dataSource, after, options.limit, types, maxBytes);
      if (rows.length === 0) await this.assertCheckpoint(after);
      return rows;
    });
    // A type newer than this code knows passes through as stored: the feed must not stop on it.
    return stored.map((event) => this.toRecorded(event, false));
  }

  /** The checkpoint must name an event: an unknown one would silently match nothing forever. */
  private async assertCheckpoint(after: bigint): Promise<void> {
    if (after === 0n || (await this.sql.positionExists(this.dataSource, after))) return;
    throw new DomainError('not_found', 'position-not-found', `no event at position ${after}`, {
      position: after.toString(),
    });
  }

  countAfter(after: bigint, limit: number): Promise<number> {
    if (after < 0n) throw new RangeError(`countAfter: after must not be negative, not ${after}`);
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`countAfter: limit must be a positive integer, not ${limit}`);
    return withDatabaseLock(this.dataSource, async () => {
      const count = await this.sql.countAfter(this.dataSource, after, limit);
      if (count === 0) await this.assertCheckpoint(after);
      return count;
    });
  }

  headPosition(): Promise<bigint> {
    return withDatabaseLock(this.dataSource, () => this.sql.headPosition(this.dataSource));
  }

  // No database lock for these two: PostgreSQL needs none, and SQLite's answer (nothing is ever held
  // back) takes no query, so a health probe never waits behind a long write for it.
  countHeldBack(): Promise<number> {
    return this.sql.countHeldBack(this.dataSource);
  }

  heldBack(): Promise<HeldBackFeed> {
    return this.sql.heldBack(this.dataSource);
  }

  async transaction<T>(work: (session: EventStoreSession) => Promise<T>): Promise<T> {
    const appended: RecordedEvent[] = [];
    const result = await withDatabaseLock(this.dataSource, () =>
      this.dataSource.transaction((manager) => work(new TypeOrmEventStoreSession(this, manager, appended))),
    );
    this.notify(appended);
    return result;
  }

  loadSnapshot<State>(streamId: string, schemaVersion: number): Promise<Snapshot<State> | undefined> {
    return withDatabaseLock(this.dataSource, () =>
      this.loadSnapshotWith<State>(this.dataSource, streamId, schemaVersion),
    );
  }

  async saveSnapshot<State>(snapshot: Snapshot<State>): Promise<void> {
    await withDatabaseLock(this.dataSource, () => this.saveSnapshotWith(this.dataSource, snapshot));
  }

  async loadSnapshotWith<State>(
    sql: SqlExecutor,
    streamId: string,
    schemaVersion: number,
  ): Promise<Snapshot<State> | undefined> {
    const stored = await this.sql.loadSnapshot(sql, streamId, schemaVersion);
    return stored && { streamId, version: stored.version, schemaVersion, state: stored.state as State };
  }

  async saveSnapshotWith<State>(sql: SqlExecutor, snapshot: Snapshot<State>): Promise<void> {
    if (!Number.isInteger(snapshot.version) || snapshot.version < 1)
      throw new RangeError(`a snapshot's version must be a positive integer, not ${snapshot.version}`);
    await this.sql.saveSnapshot(sql, snapshot);
  }

  /** Reads through `sql`: the DataSource, or a transaction's manager to see its own writes. */
  async readStreamWith<E extends Event>(
    sql: SqlExecutor,
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<ReadStreamResult<E>> {
    const afterVersion = options.afterVersion ?? 0;
    if (!Number.isInteger(afterVersion) || afterVersion < 0)
      throw new RangeError(`readStream: afterVersion must be a non-negative integer, not ${afterVersion}`);
    if (options.maxCount !== undefined && (!Number.isInteger(options.maxCount) || options.maxCount < 1))
      throw new RangeError(`readStream: maxCount must be a positive integer, not ${options.maxCount}`);
    const { events, version } = await this.sql.readStream(sql, streamId, afterVersion, options.maxCount);
    return { events: events.map((event) => this.toRecorded(event, true) as RecordedEvent<E>), version };
  }

  /**
   * Checks every stream's expected version, inserts all events in as few statements as the
   * dialect allows, then runs the inline projections, all on `manager`'s transaction.
   */
  async appendWith(
    manager: EntityManager,
    appends: readonly StreamAppend[],
    metadata: EventMetadata,
  ): Promise<AppendResult[]> {
    if (appends.length === 0) return [];
    const streamIds = appends.map((append) => append.streamId);
    assertAppendable(appends);
    const stored = new StoredMetadataOf(metadata);

    // Versions relative to each stream's head until the head is known.
    const relative: EventRowToInsert[] = appends.flatMap((append) => {
      const { who, occurredAt } = stored.of(append);
      return append.events.map((event, index) => ({
        streamId: append.streamId,
        streamType: append.streamType,
        streamVersion: index + 1,
        eventId: eventIdOf(event),
        type: event.type,
        schemaVersion: event.schemaVersion ?? this.currentVersionOf(event.type),
        data: event.data,
        metadata: who,
        occurredAt,
      }));
    });
    let heads: Map<string, StreamHead>;
    let rows: EventRowToInsert[];
    let positions: bigint[];
    try {
      // The one-statement check sends the metadata once, so all rows must share it.
      if (
        this.sql.checkAndInsertEvents &&
        this.checksInOneStatement(relative.length) &&
        stored.distinct === 1
      ) {
        // One round trip: the check and the insert together (PostgreSQL).
        const checked = await this.sql.checkAndInsertEvents(
          manager,
          appends.map((append) => ({
            streamId: append.streamId,
            expected: expectedNumber(append.expectedVersion),
          })),
          relative,
        );
        heads = checked.heads;
        assertHeads(appends, heads);
        if (checked.positions === undefined && relative.length > 0)
          throw new Error('the append was refused although every stream is at its expected version');
        rows = atVersions(relative, heads);
        positions = checked.positions ?? [];
      } else {
        // One query for all streams. The check is exact for everything committed before it; a writer
        // that commits in between is caught by the unique (stream_id, stream_version) below.
        heads = await this.sql.streamHeads(manager, streamIds);
        assertHeads(appends, heads);
        rows = atVersions(relative, heads);
        positions = await this.sql.insertEvents(manager, rows);
      }
    } catch (error) {
      throw this.asConcurrencyError(error, appends) ?? error;
    }

    // One metadata object per distinct metadata: the events of a cause share who, why and when.
    const recorded: RecordedEvent[] = [];
    let offset = 0;
    for (const append of appends) {
      const { recorded: metadataOfAppend } = stored.of(append);
      for (let index = offset; index < offset + append.events.length; index++)
        recorded.push(this.recordedFromAppend(rows[index], positions[index], metadataOfAppend));
      offset += append.events.length;
    }
    await this.project(recorded, manager);

    const results: AppendResult[] = [];
    offset = 0;
    for (const append of appends) {
      const events = recorded.slice(offset, offset + append.events.length);
      offset += append.events.length;
      const nextVersion =
        events.length > 0
          ? events[events.length - 1].streamVersion
          : (heads.get(append.streamId)?.version ?? 0);
      results.push({ streamId: append.streamId, nextVersion, events });
    }
    return results;
  }

  /** Whether the dialect checks and inserts `rows` events in one statement. */
  private checksInOneStatement(rows: number): boolean {
    return this.sql.checkAndInsertEvents !== undefined && rows <= (this.sql.maxRowsPerStatement ?? 0);
  }

  /**
   * An append is one statement, so needs no transaction, when the dialect checks and inserts in one,
   * its events share the append's metadata and no inline projection has anything to write for them.
   */
  private needsTransaction(appends: readonly StreamAppend[]): boolean {
    const events = appends.reduce((sum, append) => sum + append.events.length, 0);
    if (events === 0 || !this.checksInOneStatement(events)) return true;
    // Streams with metadata of their own take two statements (see appendWith).
    if (appends.some((append) => append.metadata !== undefined)) return true;
    return appends.some((append) => append.events.some((event) => this.projectedTypes.has(event.type)));
  }

  /** Hands committed events to `onAppended`, never letting it fail a write that is already durable. */
  notify(events: readonly RecordedEvent[]): void {
    if (events.length === 0 || !this.options.onAppended) return;
    try {
      this.options.onAppended(events);
    } catch (error) {
      process.emitWarning(`event store onAppended failed: ${String(error)}`, 'FleetEventStoreWarning');
    }
  }

  private async project(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const { projection, handles } of this.projections) {
      const handled = events.filter((event) => handles.has(event.type));
      if (handled.length > 0) await projection.apply(handled, manager);
    }
  }

  private asConcurrencyError(error: unknown, appends: readonly StreamAppend[]): ConcurrencyError | undefined {
    const streamId = this.sql.conflictingStream(error);
    if (streamId === undefined) return undefined;
    const append = appends.find((candidate) => candidate.streamId === streamId) ?? appends[0];
    const named = streamId ?? (appends.length === 1 ? append.streamId : `one of ${appends.length} streams`);
    return new ConcurrencyError(named, append.expectedVersion);
  }

  private currentVersionOf(type: string): number {
    const version = this.schemaVersions.get(type);
    if (version === undefined)
      throw new Error(`event type ${type} has no schema version: add it to the event store's schemaVersions`);
    return version;
  }

  private recordedFromAppend(
    row: EventRowToInsert,
    position: bigint,
    metadata: EventMetadata,
  ): RecordedEvent {
    let { schemaVersion, data } = row;
    const current = this.schemaVersions.get(row.type);
    if (current !== undefined && schemaVersion < current)
      ({ schemaVersion, data } = this.upcasters.upcast(row.type, schemaVersion, data, current));
    return {
      eventId: row.eventId,
      type: row.type,
      schemaVersion,
      data,
      streamId: row.streamId,
      streamType: row.streamType,
      streamVersion: row.streamVersion,
      position,
      metadata,
    };
  }

  /**
   * Everything the store hands out is at the current schema version. An event stored by newer
   * code than this (a rollback mid-deploy) cannot be brought down: loading an aggregate from it
   * (`strict`) fails rather than decide on data this code does not understand.
   */
  private toRecorded(stored: StoredEvent, strict: boolean): RecordedEvent {
    const metadata = { ...stored.metadata, occurredAt: stored.occurredAt } as EventMetadata;
    const current = this.schemaVersions.get(stored.type);
    let { schemaVersion, data } = stored;
    if (current !== undefined && schemaVersion < current) {
      ({ schemaVersion, data } = this.upcasters.upcast(stored.type, schemaVersion, data, current));
    } else if (strict && current !== undefined && schemaVersion > current) {
      throw new Error(
        `event ${stored.eventId} (${stored.type}) has schema version ${schemaVersion}; this code knows up to ${current}`,
      );
    }
    return {
      eventId: stored.eventId,
      type: stored.type,
      schemaVersion,
      data,
      streamId: stored.streamId,
      streamType: stored.streamType,
      streamVersion: stored.streamVersion,
      position: stored.position,
      metadata,
    };
  }
}

/** One transaction's work. Each `append` is all or nothing (a savepoint), whatever the caller catches. */
class TypeOrmEventStoreSession implements EventStoreSession {
  constructor(
    private readonly store: TypeOrmEventStore,
    readonly manager: EntityManager,
    private readonly appended: RecordedEvent[],
  ) {}

  readStream<E extends Event = Event>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<ReadStreamResult<E>> {
    return this.store.readStreamWith<E>(this.manager, streamId, options);
  }

  async append(appends: readonly StreamAppend[], metadata: EventMetadata): Promise<readonly AppendResult[]> {
    // A nested TypeORM transaction on the same query runner is a SAVEPOINT: a failed append (a
    // conflict, a projection's unique violation) leaves the session usable on PostgreSQL too,
    // where any failed statement would otherwise abort the whole transaction.
    const results = await tracedAppend(this.store.dialect, appends, metadata, (traced, tracedAppends) =>
      retryingAny(appends, () =>
        this.manager.transaction((manager) => this.store.appendWith(manager, tracedAppends, traced)),
      ),
    );
    for (const result of results) for (const event of result.events) this.appended.push(event);
    return results;
  }

  loadSnapshot<State>(streamId: string, schemaVersion: number): Promise<Snapshot<State> | undefined> {
    return this.store.loadSnapshotWith<State>(this.manager, streamId, schemaVersion);
  }

  saveSnapshot<State>(snapshot: Snapshot<State>): Promise<void> {
    return this.store.saveSnapshotWith(this.manager, snapshot);
  }
}

/** What an append's metadata is stored and handed back as; worked out once per distinct metadata object. */
interface MetadataForms {
  /** Who, why and for which facility: the `metadata` column (`occurredAt` has its own). */
  readonly who: Omit<EventMetadata, 'occurredAt'>;
  /** `occurredAt` as both drivers hand it back. */
  readonly occurredAt: string;
  /** The metadata of the recorded events. */
  readonly recorded: EventMetadata;
}

/** The metadata of each stream of an append: its own, or the append's. */
class StoredMetadataOf {
  private readonly forms = new Map<EventMetadata, MetadataForms>();

  constructor(private readonly shared: EventMetadata) {}

  of(append: StreamAppend): MetadataForms {
    const metadata = append.metadata ?? this.shared;
    let forms = this.forms.get(metadata);
    if (forms === undefined) {
      const { occurredAt, ...who } = metadata;
      const iso = toIsoTimestamp(occurredAt);
      forms = { who, occurredAt: iso, recorded: { ...metadata, occurredAt: iso } };
      this.forms.set(metadata, forms);
    }
    return forms;
  }

  /** Distinct metadata objects met so far (call after `of` for every append). */
  get distinct(): number {
    return this.forms.size;
  }
}

function assertAppendable(appends: readonly StreamAppend[]): void {
  const seen = new Set<string>();
  for (const append of appends) {
    if (append.streamId.length === 0) throw new Error('a stream id must not be empty');
    if (seen.has(append.streamId))
      throw new Error(`stream ${append.streamId} appears twice in one append: merge its events`);
    seen.add(append.streamId);
    const expected = append.expectedVersion;
    if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0))
      throw new RangeError(
        `expected version of ${append.streamId} must be a non-negative integer, not ${expected}`,
      );
  }
}

/** Attempts of an append whose streams all expect `any`: a few losses in a row mean real contention. */
const ANY_APPEND_ATTEMPTS = 3;

/**
 * An append that expects `any` of every stream cannot conflict with the caller's intent, only with
 * a writer that took the version it computed (PostgreSQL: the version is read before the insert).
 * Running it again reads the new head. Each attempt is a fresh transaction, or a fresh savepoint
 * in a session; there a head written by a newer transaction stays refused, and after the last
 * attempt the ConcurrencyError goes to the caller (a consumer's redelivery runs in a new one).
 */
function retryingAny<T>(appends: readonly StreamAppend[], attempt: () => Promise<T>): Promise<T> {
  const allAny = appends.every((append) => append.expectedVersion === 'any');
  return retryOnConflict(attempt, allAny ? ANY_APPEND_ATTEMPTS - 1 : 0);
}

/** Refuses the append when a stream is not at its expected version or was written by a newer transaction. */
function assertHeads(appends: readonly StreamAppend[], heads: ReadonlyMap<string, StreamHead>): void {
  for (const append of appends) {
    const head = heads.get(append.streamId);
    const actual = head?.version ?? 0;
    const expected = expectedNumber(append.expectedVersion);
    if (expected !== undefined && expected !== actual)
      throw new ConcurrencyError(append.streamId, append.expectedVersion, actual);
    // PostgreSQL: a newer transaction wrote the stream's head after ours began writing; our events
    // would come before it in read-all (see POSTGRES_STREAM_HEADS). A fresh transaction will do.
    if (head?.writtenByNewerTransaction) throw new ConcurrencyError(append.streamId, append.expectedVersion);
  }
}

/** Rows with versions relative to their stream's head, at their absolute versions. */
function atVersions(
  rows: readonly EventRowToInsert[],
  heads: ReadonlyMap<string, StreamHead>,
): EventRowToInsert[] {
  return rows.map((row) => ({
    ...row,
    streamVersion: (heads.get(row.streamId)?.version ?? 0) + row.streamVersion,
  }));
}

/** The version the stream must be at, or undefined for `any`. */
function expectedNumber(expected: ExpectedVersion): number | undefined {
  if (expected === 'any') return undefined;
  return expected === 'no_stream' ? 0 : expected;
}

function eventIdOf(event: NewEvent): string {
  if (event.eventId === undefined) return randomUUID();
  const eventId = event.eventId.toLowerCase();
  if (!UUID.test(eventId)) throw new Error(`event id ${event.eventId} is not a uuid`);
  return eventId;
}

/** Both drivers hand back the same text: ISO-8601 in UTC with milliseconds. */
function toIsoTimestamp(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`occurredAt ${value} is not an ISO-8601 timestamp`);
  return new Date(time).toISOString();
}
