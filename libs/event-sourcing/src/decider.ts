import type { Event } from './event';

/**
 * An aggregate as three pure functions. `decide` throws a `DomainError` when the command would break
 * an invariant; it never performs I/O.
 */
export interface Decider<Command, State, E extends Event> {
  readonly initialState: () => State;
  readonly decide: (command: Command, state: State) => readonly E[];
  readonly evolve: (state: State, event: E) => State;
}

export function replay<State, E extends Event>(
  decider: Pick<Decider<unknown, State, E>, 'initialState' | 'evolve'>,
  events: readonly E[],
  from: State = decider.initialState(),
): State {
  return events.reduce(decider.evolve, from);
}
