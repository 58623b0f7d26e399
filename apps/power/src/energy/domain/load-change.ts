import type { PowerEvent } from '@fleet/contracts';

/**
 * The facility events that change its allocated IT load or its PUE: a curtailment sheds rigs (no
 * longer allocated) and its end restores some of them.
 */
export const LOAD_EVENT_TYPES = [
  'FacilityCapacityScheduled',
  'PowerAllocated',
  'PowerReleased',
  'RigsCurtailed',
  'CurtailmentEnded',
] as const;
export type LoadEvent = Extract<PowerEvent, { type: (typeof LOAD_EVENT_TYPES)[number] }>;

/** From `at` on (ISO with milliseconds), until the next change, the facility drew this. */
export interface LoadChangePoint {
  readonly seq: number;
  readonly at: string;
  readonly itWatts: number;
  readonly pueMilli: number;
}

function wattsChangedBy(event: LoadEvent): number {
  switch (event.type) {
    case 'PowerAllocated':
      return event.data.rigs.reduce((sum, rig) => sum + rig.itWatts, 0);
    case 'PowerReleased':
    case 'RigsCurtailed':
      return -event.data.rigs.reduce((sum, rig) => sum + rig.itWatts, 0);
    case 'CurtailmentEnded':
      return event.data.restored.reduce((sum, rig) => sum + rig.itWatts, 0);
    case 'FacilityCapacityScheduled':
      return 0;
  }
}

/**
 * The change point a facility event makes after `before` (null: its first), or null when it
 * changes neither the IT load nor the PUE. A request's time is taken before it waits for the
 * facility's lock, so an event may carry an earlier time than the one before it: the points stay
 * in order.
 */
export function nextLoadChange(
  before: LoadChangePoint | null,
  event: LoadEvent,
  occurredAt: string,
): LoadChangePoint | null {
  const itWatts = (before?.itWatts ?? 0) + wattsChangedBy(event);
  const pueMilli =
    event.type === 'FacilityCapacityScheduled' ? event.data.pueMilli : (before?.pueMilli ?? 1000);
  if (before && before.itWatts === itWatts && before.pueMilli === pueMilli) return null;
  const at = new Date(occurredAt).toISOString();
  return {
    seq: (before?.seq ?? 0) + 1,
    at: before !== null && before.at > at ? before.at : at,
    itWatts,
    pueMilli,
  };
}
