import type { Decider } from './decider';
import { VersionMismatchError } from './errors';
import { retryOnConflict } from './retry-on-conflict';
import type { Event, EventMetadata, RecordedEvent } from './event';
import type { EventStore, EventStoreSession } from './event-store';

export interface SnapshotPolicy<State> {
  /** Take a snapshot when the stream's version crosses a multiple of this. */
  readonly every: number;
  /** Bump when State's shape changes; older snapshots are then ignored. */
  readonly schemaVersion: number;
  /** State must survive JSON; convert Maps and Sets here. Defaults to identity. */
  readonly toSnapshot?: (state: State) => unknown;
  readonly fromSnapshot?: (stored: unknown) => State;
}

export interface CommandOptions<State> {
  readonly streamId: string;
  readonly streamType: string;
  /**
   * Or derived from the aggregate as the command leaves it, when that holds what the metadata
   * needs (its facility); only called when the command appends events.
   */
  readonly metadata: EventMetadata | ((state: State) => EventMetadata);
  /** The client's `If-Match`: the command is refused (412) unless the stream is at this version. No retry then. */
  readonly ifMatchVersion?: number;
  /** Set when the command must create the stream (a new order, a new rig): refused with 409 if it exists. */
  readonly mustCreate?: boolean;
  /** Conflicts with other writers are retried this many times, then answered 409. Default 3. */
  readonly maxRetries?: number;
  readonly snapshots?: SnapshotPolicy<State>;
}

export interface CommandResult<State> {
  readonly state: State;
  /** The stream's version after the command: the resource's ETag. */
  readonly version: number;
  readonly events: readonly RecordedEvent[];
}

export interface LoadedAggregate<State> {
  readonly state: State;
  readonly version: number;
}

/** Loads an aggregate's state: the latest snapshot (if any) plus the events after it. */
export async function loadAggregate<State, E extends Event>(
  reader: Pick<EventStore, 'readStream'> & Partial<Pick<EventStore, 'loadSnapshot'>>,
  decider: Pick<Decider<unknown, State, E>, 'initialState' | 'evolve'>,
  streamId: string,
  snapshots?: SnapshotPolicy<State>,
): Promise<LoadedAggregate<State>> {
  let state = decider.initialState();
  let afterVersion = 0;
  if (snapshots && reader.loadSnapshot) {
    const snapshot = await reader.loadSnapshot<unknown>(streamId, snapshots.schemaVersion);
    if (snapshot) {
      state = snapshots.fromSnapshot ? snapshots.fromSnapshot(snapshot.state) : (snapshot.state as State);
      afterVersion = snapshot.version;
    }
  }
  const { events, version } = await reader.readStream<E>(streamId, { afterVersion });
  for (const recorded of events)
    state = decider.evolve(state, { type: recorded.type, data: recorded.data } as E);
  return { state, version: Math.max(version, afterVersion) };
}

/**
 * Load, decide, append with the loaded version as the expected one; on a conflict with another
 * writer, load again and retry (bounded). Deciders stay pure: ids and clocks come in the command.
 */
export async function handleCommand<Command, State, E extends Event>(
  store: EventStore,
  decider: Decider<Command, State, E>,
  command: Command,
  options: CommandOptions<State>,
): Promise<CommandResult<State>> {
  return retryOnConflict(
    () => decideAndAppend(store, decider, command, options, store),
    conflictRetriesOf(options),
  );
}

/** Conflicts are retried unless the client named a version (If-Match) or the stream must be new. */
export function conflictRetriesOf(
  options: Pick<CommandOptions<unknown>, 'ifMatchVersion' | 'mustCreate' | 'maxRetries'>,
): number {
  return options.ifMatchVersion !== undefined || options.mustCreate ? 0 : (options.maxRetries ?? 3);
}

/**
 * The same inside a transaction that also does other work (a saga step committing with its inbox
 * row). No retry here: the caller's transaction is rolled back and the message redelivered.
 */
export async function handleCommandInSession<Command, State, E extends Event>(
  session: EventStoreSession,
  decider: Decider<Command, State, E>,
  command: Command,
  options: CommandOptions<State>,
): Promise<CommandResult<State>> {
  return decideAndAppend(session, decider, command, options, session);
}

async function decideAndAppend<Command, State, E extends Event>(
  target: Pick<EventStore, 'readStream'> &
    Partial<Pick<EventStore, 'loadSnapshot'>> & {
      appendToStreams?: EventStore['appendToStreams'];
      append?: EventStoreSession['append'];
    },
  decider: Decider<Command, State, E>,
  command: Command,
  options: CommandOptions<State>,
  snapshotStore?: Pick<EventStore, 'saveSnapshot'>,
): Promise<CommandResult<State>> {
  const loaded = await loadAggregate(target, decider, options.streamId, options.snapshots);
  if (options.ifMatchVersion !== undefined && options.ifMatchVersion !== loaded.version) {
    throw new VersionMismatchError(options.streamId, options.ifMatchVersion, loaded.version);
  }
  const newEvents = decider.decide(command, loaded.state);
  const state = newEvents.reduce(decider.evolve, loaded.state);
  if (newEvents.length === 0) return { state, version: loaded.version, events: [] };

  const append = {
    streamId: options.streamId,
    streamType: options.streamType,
    expectedVersion: options.mustCreate ? ('no_stream' as const) : loaded.version,
    events: newEvents.map((event) => ({ type: event.type, data: event.data })),
  };
  const appendMany = target.append ?? target.appendToStreams;
  if (!appendMany) throw new Error('the target can neither append nor appendToStreams');
  const metadata = typeof options.metadata === 'function' ? options.metadata(state) : options.metadata;
  const [result] = await appendMany.call(target, [append], metadata);

  if (snapshotStore && options.snapshots) {
    const { every, schemaVersion, toSnapshot } = options.snapshots;
    if (Math.floor(result.nextVersion / every) > Math.floor(loaded.version / every)) {
      await snapshotStore.saveSnapshot({
        streamId: options.streamId,
        version: result.nextVersion,
        schemaVersion,
        state: toSnapshot ? toSnapshot(state) : state,
      });
    }
  }
  return { state, version: result.nextVersion, events: result.events };
}
