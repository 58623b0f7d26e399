import type { Decider } from '../decider';
import type { Event } from '../event';
import type { EventStore } from '../event-store';
import type { SnapshotPolicy } from './snapshot-policy';

export interface LoadedAggregate<State> {
  readonly state: State;
  /** The stream's version the state is at; 0 for a stream that does not exist. */
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
