import type { Decider } from '../decider';
import { DomainError, VersionMismatchError } from '../errors';
import type { Event, EventMetadata, RecordedEvent } from '../event';
import type { AppendResult, EventStoreSession, StreamAppend } from '../event-store';
import { inCommandTransaction, isEventStore, joinedTarget, type CommandTarget } from './command-target';
import { retryOnConflict } from './retry-on-conflict';
import { loadAggregate, type LoadedAggregate } from './load-aggregate';
import { snapshotDue, type SnapshotPolicy } from './snapshot-policy';

/** One command for one stream of a batch. */
export interface StreamCommand<Command, State> {
  readonly streamId: string;
  readonly command: Command;
  /**
   * The state at hand, so the stream is not read: a read-model row written in the same transaction
   * as every event of the stream, or the initial state of a stream known to be new. The append
   * then expects exactly `loaded.version`, so a stale row fails with a conflict, never a wrong write.
   */
  readonly loaded?: LoadedAggregate<State>;
  /** The client's `If-Match`: refused (412) unless the stream is at this version. */
  readonly ifMatchVersion?: number;
  /** The command creates the stream (a new order, a new rig): refused with 409 if it exists. */
  readonly mustCreate?: boolean;
  /**
   * The metadata of this command's events, when not the batch's (`options.metadata`): a batch that
   * serves several causes at once (a consumer's run of messages). Commands that share one metadata
   * object go in one append call, in the batch's transaction.
   */
  readonly metadata?: EventMetadata;
}

/** A command its decider accepted, with the events it decided and the state they lead to. */
export interface DecidedCommand<Command, State> {
  readonly command: StreamCommand<Command, State>;
  readonly loadedVersion: number;
  readonly events: readonly Event[];
  readonly state: State;
}

/** A command its decider refused, when the batch collects refusals instead of failing. */
export interface RejectedCommand<Command, State> {
  readonly command: StreamCommand<Command, State>;
  readonly error: DomainError;
}

/** Where a stream stands after its command. */
export interface StreamOutcome<State> {
  readonly state: State;
  /** The stream's version after the command: the resource's ETag. */
  readonly version: number;
  /** The events the command appended (none when its decider decided nothing). */
  readonly events: readonly RecordedEvent[];
}

export interface CommandResult<State, Answer = void> extends StreamOutcome<State> {
  /** What `answer` read in the command's transaction, if given. */
  readonly answer: Answer;
}

export interface StreamResult<Command, State> extends StreamOutcome<State> {
  readonly command: StreamCommand<Command, State>;
}

export interface BatchResult<Command, State, Answer = void> {
  /** One per accepted command, in the order given. */
  readonly results: readonly StreamResult<Command, State>[];
  readonly rejected: readonly RejectedCommand<Command, State>[];
  readonly answer: Answer;
}

export interface CommandOptionsBase<State> {
  /** The aggregate kind, e.g. `order`, `rig`. */
  readonly streamType: string;
  /**
   * Or derived from the aggregate as the command leaves it, when that holds what the metadata
   * needs (its facility); only called for commands that append events. Appends with equal metadata
   * go together.
   */
  readonly metadata: EventMetadata | ((state: State) => EventMetadata);
  /** Conflicts with other writers are retried this many times, then answered 409. Default 3. */
  readonly maxRetries?: number;
  readonly snapshots?: SnapshotPolicy<State>;
}

export interface BatchOptions<Command, State, Answer> extends CommandOptionsBase<State> {
  /**
   * `throw` (default): a command its decider refuses fails the whole batch. `collect`: it is
   * listed in `rejected` and the others go on.
   */
  readonly rejections?: 'throw' | 'collect';
  /**
   * After every command is decided and before anything is appended, in the same transaction:
   * checks across commands (two rigs for one slot). Throw to refuse the whole batch.
   */
  readonly beforeAppend?: (
    decided: readonly DecidedCommand<Command, State>[],
    rejected: readonly RejectedCommand<Command, State>[],
    session: EventStoreSession,
  ) => Promise<void>;
  /** After the appends, in the same transaction: what to answer (a read-back of the new rows). */
  readonly answer?: (
    results: readonly StreamResult<Command, State>[],
    session: EventStoreSession,
  ) => Promise<Answer>;
}

/** The commands of a batch, or how to find them in the transaction (evaluated again on each retry). */
export type BatchCommands<Command, State> =
  | readonly StreamCommand<Command, State>[]
  | ((session: EventStoreSession) => Promise<readonly StreamCommand<Command, State>[]>);

const DEFAULT_MAX_RETRIES = 3;

/**
 * The one command path: for each command, load its stream (or take the state given), decide,
 * then append every stream's events at the version loaded, in one transaction with the inline
 * projections; on a conflict with another writer the whole batch runs again from a fresh load
 * (bounded). Deciders stay pure: ids and clocks come in the commands.
 */
export async function handleCommands<Command, State, E extends Event, Answer = void>(
  given: CommandTarget,
  decider: Decider<Command, State, E>,
  commands: BatchCommands<Command, State>,
  options: BatchOptions<Command, State, Answer>,
): Promise<BatchResult<Command, State, Answer>> {
  const target = joinedTarget(given);
  const retries =
    Array.isArray(commands) && commands.some((command) => !mayRetry(command))
      ? 0
      : (options.maxRetries ?? DEFAULT_MAX_RETRIES);
  if (isEventStore(target) && Array.isArray(commands)) {
    // Streams are read before the transaction opens (on SQLite it holds the only connection); the
    // append at the version read catches any writer in between.
    return retryOnConflict(async () => {
      const loaded = await loadAll(target, decider, commands, options.snapshots);
      return target.transaction((session) => runBatch(session, decider, loaded, options));
    }, retries);
  }
  return inCommandTransaction(target, retries, async (session) => {
    const list = typeof commands === 'function' ? await commands(session) : commands;
    return runBatch(session, decider, await loadAll(session, decider, list, options.snapshots), options);
  });
}

type LoadedCommand<Command, State> = StreamCommand<Command, State> & {
  readonly loaded: LoadedAggregate<State>;
};

async function loadAll<Command, State, E extends Event>(
  reader: CommandTarget,
  decider: Decider<Command, State, E>,
  commands: readonly StreamCommand<Command, State>[],
  snapshots: SnapshotPolicy<State> | undefined,
): Promise<LoadedCommand<Command, State>[]> {
  const loaded: LoadedCommand<Command, State>[] = [];
  const seen = new Set<string>();
  for (const command of commands) {
    if (seen.has(command.streamId))
      throw new Error(`a batch names stream ${command.streamId} twice: give each stream one command`);
    seen.add(command.streamId);
    loaded.push({
      ...command,
      loaded: command.loaded ?? (await loadAggregate(reader, decider, command.streamId, snapshots)),
    });
  }
  return loaded;
}

/** A command that names a version (If-Match) or must create its stream fails at once on a conflict. */
export function mayRetry(
  command: Pick<StreamCommand<unknown, unknown>, 'ifMatchVersion' | 'mustCreate'>,
): boolean {
  return command.ifMatchVersion === undefined && !command.mustCreate;
}

async function runBatch<Command, State, E extends Event, Answer>(
  session: EventStoreSession,
  decider: Decider<Command, State, E>,
  commands: readonly LoadedCommand<Command, State>[],
  options: BatchOptions<Command, State, Answer>,
): Promise<BatchResult<Command, State, Answer>> {
  const decided: DecidedCommand<Command, State>[] = [];
  const rejected: RejectedCommand<Command, State>[] = [];
  for (const command of commands) {
    const { loaded } = command;
    if (command.ifMatchVersion !== undefined && command.ifMatchVersion !== loaded.version)
      throw new VersionMismatchError(command.streamId, command.ifMatchVersion, loaded.version);
    let events: readonly E[];
    try {
      events = decider.decide(command.command, loaded.state);
    } catch (error) {
      if (options.rejections !== 'collect' || !(error instanceof DomainError)) throw error;
      rejected.push({ command, error });
      continue;
    }
    decided.push({
      command,
      loadedVersion: loaded.version,
      events,
      state: events.reduce(decider.evolve, loaded.state),
    });
  }
  if (options.beforeAppend) await options.beforeAppend(decided, rejected, session);

  const appended = await appendDecided(session, decided, options);
  const results = decided.map(({ command, loadedVersion, state }): StreamResult<Command, State> => {
    const result = appended.get(command.streamId);
    return { command, state, version: result?.nextVersion ?? loadedVersion, events: result?.events ?? [] };
  });
  if (options.snapshots) await saveDueSnapshots(session, decided, results, options.snapshots);
  const answer = options.answer ? await options.answer(results, session) : (undefined as Answer);
  return { results, rejected, answer };
}

/**
 * One append call per distinct metadata: the batch's (an event's metadata names its facility), or
 * the object a command brings (commands sharing one object go together). Each call is then one
 * statement on PostgreSQL (check and insert together), which beats one call of mixed metadata
 * (stream heads, then the insert) even for a run of 14 causes.
 */
async function appendDecided<Command, State>(
  session: EventStoreSession,
  decided: readonly DecidedCommand<Command, State>[],
  options: CommandOptionsBase<State>,
): Promise<Map<string, AppendResult>> {
  const groups = new Map<string, { metadata: EventMetadata; appends: StreamAppend[] }>();
  const ownMetadata = new Map<EventMetadata, StreamAppend[]>();
  for (const { command, loadedVersion, events, state } of decided) {
    if (events.length === 0) continue;
    const append: StreamAppend = {
      streamId: command.streamId,
      streamType: options.streamType,
      expectedVersion: command.mustCreate ? 'no_stream' : loadedVersion,
      events: events.map((event) => ({ type: event.type, data: event.data })),
    };
    if (command.metadata) {
      const same = ownMetadata.get(command.metadata) ?? [];
      same.push(append);
      ownMetadata.set(command.metadata, same);
      continue;
    }
    const metadata = typeof options.metadata === 'function' ? options.metadata(state) : options.metadata;
    const key = JSON.stringify(metadata);
    const group = groups.get(key) ?? { metadata, appends: [] };
    group.appends.push(append);
    groups.set(key, group);
  }
  const calls = [...groups.values()];
  for (const [metadata, appends] of ownMetadata) calls.push({ metadata, appends });
  const results = new Map<string, AppendResult>();
  for (const { metadata, appends } of calls)
    for (const result of await session.append(appends, metadata)) results.set(result.streamId, result);
  return results;
}

async function saveDueSnapshots<Command, State>(
  session: EventStoreSession,
  decided: readonly DecidedCommand<Command, State>[],
  results: readonly StreamResult<Command, State>[],
  policy: SnapshotPolicy<State>,
): Promise<void> {
  for (const [index, result] of results.entries()) {
    const { loadedVersion } = decided[index];
    if (!snapshotDue(policy, loadedVersion, result.version)) continue;
    await session.saveSnapshot({
      streamId: result.command.streamId,
      version: result.version,
      schemaVersion: policy.schemaVersion,
      state: policy.toSnapshot ? policy.toSnapshot(result.state) : result.state,
    });
  }
}
