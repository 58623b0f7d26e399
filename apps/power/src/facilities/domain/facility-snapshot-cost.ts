import type { FacilityState } from './facility.state';

/*
 * When a facility's snapshot is worth writing: once the events since the last one would cost more
 * to replay than the snapshot costs to write. Both are counted in entries (a rig in an event's
 * list, an allocation in the snapshot), each about one small JSON object to parse or print.
 */

/** Reading an event's row and folding it costs about this many entries besides its lists. */
export const EVENT_REPLAY_WEIGHT = 20;

/** Writing a snapshot costs about this many entries besides its allocations (a statement, a commit). */
export const SNAPSHOT_WRITE_WEIGHT = 200;

/** What replaying `event` costs: its row, and every rig its lists carry (a part of 1,000 rigs is 1,000). */
export function replayWeightOf(event: { readonly data: unknown }): number {
  let entries = 0;
  if (typeof event.data === 'object' && event.data !== null)
    for (const value of Object.values(event.data)) if (Array.isArray(value)) entries += value.length;
  return EVENT_REPLAY_WEIGHT + entries;
}

/** What writing the facility's snapshot costs: a statement, and every allocation and shed rig. */
export function snapshotWeightOf(state: FacilityState): number {
  return SNAPSHOT_WRITE_WEIGHT + state.allocations.size + state.curtailed.size;
}

/**
 * Whether to write a snapshot of `state`, given the replay weight of the events since the last
 * snapshot. A power-on of 13,300 rigs (14 events) is worth one at once; single-rig requests at
 * 13,300 allocations one every ~630 events, instead of a megabyte every few requests.
 */
export function snapshotWorthWriting(replayWeightSinceSnapshot: number, state: FacilityState): boolean {
  return replayWeightSinceSnapshot >= snapshotWeightOf(state);
}
