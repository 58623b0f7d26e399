import type { Decider } from '../decider';
import type { Event } from '../event';
import type { EventStoreSession } from '../event-store';
import type { CommandTarget } from './command-target';
import {
  handleCommands,
  type CommandOptionsBase,
  type CommandResult,
  type StreamOutcome,
  type StreamCommand,
} from './handle-commands';

export interface CommandOptions<State, Answer = void>
  extends CommandOptionsBase<State>, Omit<StreamCommand<never, State>, 'command' | 'metadata'> {
  /** After the append, in the same transaction: what to answer (the row the projection wrote). */
  readonly answer?: (result: StreamOutcome<State>, session: EventStoreSession) => Promise<Answer>;
}

/** `handleCommands` for a single stream: load, decide, append, answer; retried on a conflict. */
export async function handleCommand<Command, State, E extends Event, Answer = void>(
  target: CommandTarget,
  decider: Decider<Command, State, E>,
  command: Command,
  options: CommandOptions<State, Answer>,
): Promise<CommandResult<State, Answer>> {
  const { streamId, loaded, ifMatchVersion, mustCreate, answer } = options;
  const batch = await handleCommands(
    target,
    decider,
    [{ streamId, command, loaded, ifMatchVersion, mustCreate }],
    {
      ...options,
      answer: answer && (async ([result], session) => answer(result, session)),
    },
  );
  const [{ state, version, events }] = batch.results;
  return { state, version, events, answer: batch.answer };
}
