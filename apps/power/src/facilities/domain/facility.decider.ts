import {
  MAX_RIGS_PER_POWER_EVENT,
  type PowerEvent,
  type PoweredRig,
  type PowerReleaseReason,
  type RejectedRig,
} from '@fleet/contracts';
import { chunksOf, type Decider, type SnapshotPolicy } from '@fleet/event-sourcing';
import type { Curtail, FacilityCommand, PowerOff, PowerOn, PowerSelection } from './facility.commands';
import {
  curtailmentEndedEvents,
  decideRestore,
  decideShed,
  rigsCurtailedEvents,
} from './curtailment.decisions';
import { curtailmentNotFound, curtailmentOver, facilityNotFound } from './facility.errors';
import { ForkedMap } from './forked-map';
import { facilityLoadMilliwatts } from './power-units';
import {
  curtailmentHoldMilliwatts,
  evolveFacility,
  facilityLimitMilliwatts,
  facilityLoadOf,
  initialFacilityState,
  type Allocation,
  type CurtailedAllocation,
  type CurtailmentState,
  type FacilityState,
} from './facility.state';

/** What a power request comes to: the rigs it powers (or releases) and the ones it cannot. */
export interface PowerDecision {
  readonly rigs: readonly PoweredRig[];
  readonly rejected: readonly RejectedRig[];
}

/**
 * Powers the rigs in the order given, each while the facility's load (IT × PUE) stays within the
 * capacity in force less the reserve and its rack's IT allocation within the rack's budget. A rig
 * that does not fit is rejected and the next is tried: a smaller one, or one in another rack, may
 * still fit. While a curtailment is active, a rig it shed stays off and no rig may raise the load
 * above the lowest load an active curtailment holds (`curtailment-active`).
 */
export function decidePowerOn(state: FacilityState, { data }: PowerOn): PowerDecision {
  const limit = facilityLimitMilliwatts(state, Date.parse(data.at));
  const hold = curtailmentHoldMilliwatts(state);
  let load = facilityLoadOf(state);
  const rackWatts = new Map<string, number>();
  const powering = new Set<string>();
  const rigs: PoweredRig[] = [];
  const rejected: RejectedRig[] = [];
  for (const { rigId, placement } of data.rigs) {
    if (state.allocations.has(rigId) || powering.has(rigId)) {
      rejected.push({ rigId, reason: 'already-on' });
      continue;
    }
    if (!placement) {
      rejected.push({ rigId, reason: 'not-installed' });
      continue;
    }
    if (state.curtailed.has(rigId)) {
      rejected.push({ rigId, reason: 'curtailment-active' });
      continue;
    }
    const added = facilityLoadMilliwatts(placement.itWatts, state.pueMilli);
    if (load + added > limit) {
      rejected.push({ rigId, reason: 'facility-capacity' });
      continue;
    }
    if (load + added > hold) {
      rejected.push({ rigId, reason: 'curtailment-active' });
      continue;
    }
    const inRack = rackWatts.get(placement.rack) ?? state.rackAllocatedWatts.get(placement.rack) ?? 0;
    const budget = state.rackBudgets.get(placement.rack);
    if (budget !== undefined && inRack + placement.itWatts > budget) {
      rejected.push({ rigId, reason: 'rack-budget' });
      continue;
    }
    load += added;
    rackWatts.set(placement.rack, inRack + placement.itWatts);
    powering.add(rigId);
    rigs.push({ rigId, ...placement });
  }
  return { rigs, rejected };
}

/** Releases the allocated rigs the selection names; a named rig that is not on is `not-on`. */
export function decidePowerOff(state: FacilityState, { data }: PowerOff): PowerDecision {
  const rigs: PoweredRig[] = [];
  const rejected: RejectedRig[] = [];
  if ('rigIds' in data.selection) {
    const releasing = new Set<string>();
    for (const rigId of data.selection.rigIds) {
      const allocation = state.allocations.get(rigId);
      if (!allocation || releasing.has(rigId)) {
        rejected.push({ rigId, reason: 'not-on' });
        continue;
      }
      releasing.add(rigId);
      rigs.push({ rigId, ...allocation });
    }
    return { rigs, rejected };
  }
  return { rigs: allocatedIn(state, data.selection), rejected };
}

/** The allocated rigs of the racks named (in that order), or of every rack by name; by slot within each. */
function allocatedIn(
  state: FacilityState,
  selection: Exclude<PowerSelection, { rigIds: unknown }>,
): PoweredRig[] {
  const byRack = new Map<string, PoweredRig[]>();
  const wanted = 'racks' in selection ? new Set(selection.racks) : null;
  for (const [rigId, allocation] of state.allocations) {
    if (wanted && !wanted.has(allocation.rack)) continue;
    const list = byRack.get(allocation.rack) ?? [];
    list.push(rigWith(rigId, allocation));
    byRack.set(allocation.rack, list);
  }
  const racks = 'racks' in selection ? [...new Set(selection.racks)] : [...byRack.keys()].sort();
  return racks.flatMap((rack) => (byRack.get(rack) ?? []).sort((a, b) => a.slot - b.slot));
}

function rigWith(rigId: string, { rack, slot, model, itWatts }: Allocation): PoweredRig {
  return { rigId, rack, slot, model, itWatts };
}

/** A decision as events, each list cut into parts of at most `MAX_RIGS_PER_POWER_EVENT` rigs. */
function eventsOf(
  data: { facilityId: string; requestId: string },
  decision: PowerDecision,
  request: 'power-on' | 'power-off',
  reason?: PowerReleaseReason,
): PowerEvent[] {
  const { facilityId, requestId } = data;
  const events: PowerEvent[] = [];
  const rigParts = chunksOf(decision.rigs, MAX_RIGS_PER_POWER_EVENT);
  for (const [index, rigs] of rigParts.entries()) {
    const part = { facilityId, requestId, part: index + 1, parts: rigParts.length, rigs };
    events.push(
      reason === undefined
        ? { type: 'PowerAllocated', data: part }
        : { type: 'PowerReleased', data: { ...part, reason } },
    );
  }
  const rejectedParts = chunksOf(decision.rejected, MAX_RIGS_PER_POWER_EVENT);
  for (const [index, rejected] of rejectedParts.entries())
    events.push({
      type: 'PowerRequestRejected',
      data: { facilityId, requestId, part: index + 1, parts: rejectedParts.length, request, rejected },
    });
  return events;
}

/**
 * Long streams (an event per request, thousands of allocations) load from a recent snapshot. No
 * `every`: commands never write one in their transaction. `FacilitySnapshotWriter` writes it after
 * the commit, when the events since the last one would cost more to replay than it costs to write
 * (`facility-snapshot-cost.ts`).
 */
export const facilitySnapshots: SnapshotPolicy<FacilityState> = {
  schemaVersion: 3,
  toSnapshot: (state): FacilitySnapshot => ({
    facilityId: state.facilityId,
    schedule: state.schedule,
    reserveWatts: state.reserveWatts,
    pueMilli: state.pueMilli,
    rackBudgets: [...state.rackBudgets],
    allocations: allocationGroupsOf(state.allocations),
    curtailments: [...state.curtailments.values()],
    endedCurtailments: [...state.endedCurtailments],
    curtailed: [...state.curtailed].map(([rigId, c]) => [
      rigId,
      c.rack,
      c.slot,
      c.model,
      c.itWatts,
      c.curtailmentId,
    ]),
    priceRule: state.priceRule,
  }),
  fromSnapshot: (stored) => {
    const snapshot = stored as FacilitySnapshot;
    const allocations = new Map<string, Allocation>();
    const rackAllocatedWatts = new Map<string, number>();
    let itWatts = 0;
    for (const [rack, model, watts, rigsAndSlots] of snapshot.allocations) {
      for (let index = 0; index < rigsAndSlots.length; index += 2)
        allocations.set(rigsAndSlots[index] as string, {
          rack,
          slot: rigsAndSlots[index + 1] as number,
          model,
          itWatts: watts,
        });
      const rigs = rigsAndSlots.length / 2;
      rackAllocatedWatts.set(rack, (rackAllocatedWatts.get(rack) ?? 0) + watts * rigs);
      itWatts += watts * rigs;
    }
    return {
      facilityId: snapshot.facilityId,
      schedule: snapshot.schedule,
      reserveWatts: snapshot.reserveWatts,
      pueMilli: snapshot.pueMilli,
      rackBudgets: new Map(snapshot.rackBudgets),
      // As every other state holds them, so that states compare equal whatever their origin.
      allocations: ForkedMap.fork(allocations),
      rackAllocatedWatts: ForkedMap.fork(rackAllocatedWatts),
      itWatts,
      curtailments: new Map(snapshot.curtailments.map((curtailment) => [curtailment.id, curtailment])),
      endedCurtailments: new Set(snapshot.endedCurtailments),
      curtailed: new Map(
        snapshot.curtailed.map(([rigId, rack, slot, model, watts, curtailmentId]) => [
          rigId,
          { rack, slot, model, itWatts: watts, curtailmentId } satisfies CurtailedAllocation,
        ]),
      ),
      priceRule: snapshot.priceRule,
    };
  },
};

/**
 * The allocations grouped by rack, model and watts, each group's rigs as a flat list of id and
 * slot: a rig costs its id and slot (about 45 bytes), not its rack and model again (about 80).
 */
function allocationGroupsOf(allocations: FacilityState['allocations']): AllocationGroup[] {
  const groups = new Map<string, AllocationGroup>();
  for (const [rigId, { rack, model, itWatts, slot }] of allocations) {
    const key = `${rack}\u0000${model}\u0000${itWatts}`;
    let group = groups.get(key);
    if (!group) {
      group = [rack, model, itWatts, []];
      groups.set(key, group);
    }
    group[3].push(rigId, slot);
  }
  return [...groups.values()];
}

/** A rack's allocations of one model and draw: rack, model, IT watts each, then rig id, slot, rig id, slot, … */
type AllocationGroup = [string, string, number, (string | number)[]];

/** Compact JSON: 13,300 allocations of one model in 20-rig racks are about 600 KB. */
interface FacilitySnapshot {
  readonly facilityId: string | null;
  readonly schedule: FacilityState['schedule'];
  readonly reserveWatts: number;
  readonly pueMilli: number;
  readonly rackBudgets: readonly (readonly [string, number])[];
  readonly allocations: readonly AllocationGroup[];
  readonly curtailments: readonly CurtailmentState[];
  readonly endedCurtailments: readonly string[];
  /** Rig id, rack, slot, model, IT watts, then the id of the curtailment that shed the rig. */
  readonly curtailed: readonly (readonly [string, string, number, string, number, string])[];
  readonly priceRule: FacilityState['priceRule'];
}

/** A curtailment's first events: scheduled, and started at once unless it starts later. */
function curtailEvents(state: FacilityState, { data }: Curtail): PowerEvent[] {
  const { at, ...scheduled } = data;
  const known = state.curtailments.has(data.curtailmentId) || state.endedCurtailments.has(data.curtailmentId);
  if (known) return [];
  if (Date.parse(data.endsAt) <= Date.parse(at)) throw curtailmentOver(data.facilityId, data.endsAt);
  const events: PowerEvent[] = [
    {
      type: 'CurtailmentScheduled',
      data: {
        ...scheduled,
        protectedRigIds: [...data.protectedRigIds],
        modelOrder: [...data.modelOrder],
      },
    },
  ];
  if (Date.parse(data.startsAt) > Date.parse(at)) return events;
  const [event] = events;
  const curtailment = evolveFacility(state, event).curtailments.get(data.curtailmentId);
  if (!curtailment) throw new Error(`curtailment ${data.curtailmentId} not scheduled`);
  events.push(...rigsCurtailedEvents(data.facilityId, data.curtailmentId, decideShed(state, curtailment)));
  return events;
}

/** One facility's capacity schedule, rack budgets and allocations: stream `facility-<facilityId>`. */
export const facilityDecider: Decider<FacilityCommand, FacilityState, PowerEvent> = {
  initialState: initialFacilityState,
  evolve: evolveFacility,
  decide(command, state) {
    switch (command.type) {
      case 'ScheduleCapacity':
        return [
          {
            type: 'FacilityCapacityScheduled',
            data: { ...command.data, schedule: command.data.schedule.map((step) => ({ ...step })) },
          },
        ];
      case 'SetRackBudget':
        return [{ type: 'RackBudgetSet', data: command.data }];
      case 'PowerOn':
        if (state.facilityId === null) throw facilityNotFound(command.data.facilityId);
        return eventsOf(command.data, decidePowerOn(state, command), 'power-on');
      case 'PowerOff': {
        if (state.facilityId === null) {
          // Nothing was ever powered there: a release of power's own is a no-op, a request a 404.
          if (command.data.reason === 'requested') throw facilityNotFound(command.data.facilityId);
          return [];
        }
        const decision = decidePowerOff(state, command);
        // Power's own releases (a rig gone to repair) answer no one: nothing to reject.
        const answered = command.data.reason === 'requested' ? decision : { ...decision, rejected: [] };
        return eventsOf(command.data, answered, 'power-off', command.data.reason);
      }
      case 'Curtail':
        if (state.facilityId === null) throw facilityNotFound(command.data.facilityId);
        return curtailEvents(state, command);
      case 'StartCurtailment': {
        const curtailment = state.curtailments.get(command.data.curtailmentId);
        if (curtailment?.status !== 'scheduled') return [];
        const { facilityId, curtailmentId } = command.data;
        return rigsCurtailedEvents(facilityId, curtailmentId, decideShed(state, curtailment));
      }
      case 'EndCurtailment': {
        const { facilityId, curtailmentId, ending } = command.data;
        if (state.endedCurtailments.has(curtailmentId)) return [];
        if (!state.curtailments.has(curtailmentId)) throw curtailmentNotFound(facilityId, curtailmentId);
        return curtailmentEndedEvents(facilityId, curtailmentId, ending, decideRestore(state, command));
      }
      case 'SetPriceRule':
        // A price rule means curtailing what the facility powers: it needs a facility first.
        if (state.facilityId === null) throw facilityNotFound(command.data.facilityId);
        return [{ type: 'PriceRuleSet', data: command.data }];
    }
  },
};
