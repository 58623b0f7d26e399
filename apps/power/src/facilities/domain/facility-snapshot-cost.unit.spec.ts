import type { PowerEvent } from '@fleet/contracts';
import {
  EVENT_REPLAY_WEIGHT,
  replayWeightOf,
  SNAPSHOT_WRITE_WEIGHT,
  snapshotWeightOf,
  snapshotWorthWriting,
} from './facility-snapshot-cost';
import { foldFacility } from './facility.state';

const FACILITY = 'us-cost';

function allocated(first: number, count: number): PowerEvent {
  return {
    type: 'PowerAllocated',
    data: {
      facilityId: FACILITY,
      requestId: `request-${first}`,
      part: 1,
      parts: 1,
      rigs: Array.from({ length: count }, (_, index) => ({
        rigId: `rig-${first + index}`,
        rack: `R${Math.floor((first + index) / 20)}`,
        slot: ((first + index) % 20) + 1,
        model: 'asicminer-8-nano',
        itWatts: 2100,
      })),
    },
  };
}

describe('when a facility snapshot is worth writing', () => {
  it('weighs an event by its row and the rigs its lists carry', () => {
    expect(replayWeightOf(allocated(0, 1000))).toBe(EVENT_REPLAY_WEIGHT + 1000);
    expect(replayWeightOf({ data: { facilityId: FACILITY, budgetWatts: 42_000 } })).toBe(EVENT_REPLAY_WEIGHT);
  });

  it('weighs a snapshot by its allocations', () => {
    const state = foldFacility([allocated(0, 500)]);
    expect(snapshotWeightOf(state)).toBe(SNAPSHOT_WRITE_WEIGHT + 500);
  });

  it('writes one after a large power-on, not after a few single-rig requests at 13,300 allocations', () => {
    const parts = Array.from({ length: 14 }, (_, part) =>
      allocated(part * 1000, Math.min(1000, 13_300 - part * 1000)),
    );
    const state = foldFacility(parts);
    const onboarding = parts.reduce((weight, event) => weight + replayWeightOf(event), 0);
    expect(snapshotWorthWriting(onboarding, state)).toBe(true);

    const single = replayWeightOf(allocated(20_000, 1));
    expect(snapshotWorthWriting(single * 20, state)).toBe(false);
    // Worth it once ~630 such events would have to be replayed.
    const due = Math.ceil(snapshotWeightOf(state) / single);
    expect(snapshotWorthWriting(single * (due - 1), state)).toBe(false);
    expect(snapshotWorthWriting(single * due, state)).toBe(true);
    expect(due).toBeGreaterThan(600);
  });
});
