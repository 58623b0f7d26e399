import type { CurtailmentTrigger, PowerEvent, PoweredRig } from '@fleet/contracts';
import { ForkedMap } from './forked-map';
import { effectiveFromMs, facilityLoadMilliwatts } from './power-units';

export interface CapacityStepState {
  readonly effectiveFromMs: number;
  readonly capacityWatts: number;
}

/** An allocated rig: where it sits and the IT watts reserved for it. */
export interface Allocation {
  readonly rack: string;
  readonly slot: number;
  readonly model: string;
  readonly itWatts: number;
}

/**
 * A curtailment not ended yet: `scheduled` until it starts, then `active`, holding the facility's
 * load at `holdLoadWatts` (at the meter) until it ends.
 */
export interface CurtailmentState {
  readonly id: string;
  readonly trigger: CurtailmentTrigger;
  readonly reduceByWatts: number | null;
  readonly targetLoadWatts: number | null;
  readonly protectedRigIds: readonly string[];
  readonly modelOrder: readonly string[];
  readonly status: 'scheduled' | 'active';
  readonly holdLoadWatts: number | null;
}

/** A rig an active curtailment shed: no longer allocated, remembered for its restoration. */
export interface CurtailedAllocation extends Allocation {
  readonly curtailmentId: string;
}

export interface PriceRule {
  readonly strikeUsdPerMwh: string;
  readonly curtailToWatts: number;
}

/**
 * A facility's power as its stream leaves it. Maps keyed by rig and rack, with running sums, so a
 * request naming 13,300 rigs costs a lookup per rig, never a scan.
 */
export interface FacilityState {
  /** Null until the facility's first event. */
  readonly facilityId: string | null;
  readonly schedule: readonly CapacityStepState[];
  readonly reserveWatts: number;
  /** PUE in thousandths; 1000 (no overhead) until a capacity is scheduled. */
  readonly pueMilli: number;
  /** A rack without a budget is limited by the facility alone. */
  readonly rackBudgets: ReadonlyMap<string, number>;
  readonly allocations: ReadonlyMap<string, Allocation>;
  readonly rackAllocatedWatts: ReadonlyMap<string, number>;
  readonly itWatts: number;
  /** Curtailments scheduled or active; an ended one leaves only its id in `endedCurtailments`. */
  readonly curtailments: ReadonlyMap<string, CurtailmentState>;
  readonly endedCurtailments: ReadonlySet<string>;
  /** By rig, in the order they were shed. */
  readonly curtailed: ReadonlyMap<string, CurtailedAllocation>;
  readonly priceRule: PriceRule | null;
}

export const initialFacilityState = (): FacilityState => ({
  facilityId: null,
  schedule: [],
  reserveWatts: 0,
  pueMilli: 1000,
  rackBudgets: new Map(),
  allocations: ForkedMap.fork<string, Allocation>(),
  rackAllocatedWatts: ForkedMap.fork<string, number>(),
  itWatts: 0,
  curtailments: new Map(),
  endedCurtailments: new Set(),
  curtailed: new Map(),
  priceRule: null,
});

type Draft = {
  -readonly [
    K in Exclude<keyof FacilityState, 'allocations' | 'rackAllocatedWatts'>
  ]: FacilityState[K] extends ReadonlyMap<infer K2, infer V>
    ? Map<K2, V>
    : FacilityState[K] extends ReadonlySet<infer V>
      ? Set<V>
      : FacilityState[K];
} & {
  // Forked, not copied: an event changes a few of thousands (see `ForkedMap`). Never iterated in
  // order (rack listings are sorted), so the fork's order does not matter.
  allocations: ForkedMap<string, Allocation>;
  rackAllocatedWatts: ForkedMap<string, number>;
};

function draftOf(state: FacilityState): Draft {
  return {
    ...state,
    rackBudgets: new Map(state.rackBudgets),
    allocations: ForkedMap.fork(state.allocations),
    rackAllocatedWatts: ForkedMap.fork(state.rackAllocatedWatts),
    curtailments: new Map(state.curtailments),
    endedCurtailments: new Set(state.endedCurtailments),
    curtailed: new Map(state.curtailed),
  };
}

/** The one place an event changes a facility; `evolve` and the long folds share it. */
function apply(draft: Draft, event: PowerEvent): void {
  draft.facilityId ??= event.data.facilityId;
  switch (event.type) {
    case 'FacilityCapacityScheduled':
      draft.schedule = event.data.schedule.map((step) => ({
        effectiveFromMs: effectiveFromMs(step.effectiveFrom),
        capacityWatts: step.capacityWatts,
      }));
      draft.reserveWatts = event.data.reserveWatts;
      draft.pueMilli = event.data.pueMilli;
      return;
    case 'RackBudgetSet':
      draft.rackBudgets.set(event.data.rack, event.data.budgetWatts);
      return;
    case 'PowerAllocated':
      for (const rig of event.data.rigs) allocate(draft, rig);
      return;
    case 'PowerReleased':
      for (const rig of event.data.rigs) release(draft, rig.rigId);
      return;
    case 'PowerRequestRejected':
      return;
    case 'CurtailmentScheduled':
      draft.curtailments.set(event.data.curtailmentId, {
        id: event.data.curtailmentId,
        trigger: event.data.trigger,
        reduceByWatts: event.data.reduceByWatts,
        targetLoadWatts: event.data.targetLoadWatts,
        protectedRigIds: event.data.protectedRigIds,
        modelOrder: event.data.modelOrder,
        status: 'scheduled',
        holdLoadWatts: null,
      });
      return;
    case 'RigsCurtailed': {
      const { curtailmentId } = event.data;
      const curtailment = draft.curtailments.get(curtailmentId);
      if (curtailment)
        draft.curtailments.set(curtailmentId, {
          ...curtailment,
          status: 'active',
          holdLoadWatts: event.data.targetLoadWatts,
        });
      for (const { rigId, rack, slot, model, itWatts } of event.data.rigs) {
        release(draft, rigId);
        draft.curtailed.set(rigId, { curtailmentId, rack, slot, model, itWatts });
      }
      return;
    }
    case 'CurtailmentEnded':
      draft.curtailments.delete(event.data.curtailmentId);
      draft.endedCurtailments.add(event.data.curtailmentId);
      for (const { rigId } of event.data.notRestored) draft.curtailed.delete(rigId);
      for (const { rigId, rack, slot, model, itWatts } of event.data.handedOver)
        if (event.data.handedOverTo !== null)
          draft.curtailed.set(rigId, { curtailmentId: event.data.handedOverTo, rack, slot, model, itWatts });
      for (const rig of event.data.restored) {
        draft.curtailed.delete(rig.rigId);
        allocate(draft, rig);
      }
      return;
    case 'PriceRuleSet':
      draft.priceRule = {
        strikeUsdPerMwh: event.data.strikeUsdPerMwh,
        curtailToWatts: event.data.curtailToWatts,
      };
      return;
  }
}

function allocate(draft: Draft, { rigId, rack, slot, model, itWatts }: PoweredRig): void {
  if (draft.allocations.has(rigId)) release(draft, rigId);
  draft.allocations.set(rigId, { rack, slot, model, itWatts });
  draft.rackAllocatedWatts.set(rack, (draft.rackAllocatedWatts.get(rack) ?? 0) + itWatts);
  draft.itWatts += itWatts;
}

function release(draft: Draft, rigId: string): void {
  const allocation = draft.allocations.get(rigId);
  if (!allocation) return;
  draft.allocations.delete(rigId);
  const rackWatts = (draft.rackAllocatedWatts.get(allocation.rack) ?? 0) - allocation.itWatts;
  if (rackWatts === 0) draft.rackAllocatedWatts.delete(allocation.rack);
  else draft.rackAllocatedWatts.set(allocation.rack, rackWatts);
  draft.itWatts -= allocation.itWatts;
}

/** One event on a draft: a few small map copies per event and forks of the allocations by rig and rack, nothing per rig or rack. */
export function evolveFacility(state: FacilityState, event: PowerEvent): FacilityState {
  const draft = draftOf(state);
  apply(draft, event);
  return draft;
}

/** Many events on one copy: `?at=` folds a whole stream without copying the maps per event. */
export function foldFacility(
  events: Iterable<PowerEvent>,
  from: FacilityState = initialFacilityState(),
): FacilityState {
  const draft = draftOf(from);
  for (const event of events) apply(draft, event);
  return draft;
}

/** The capacity in force at `atMs`: the last step whose `effectiveFrom` has passed, else none (0). */
export function capacityInForceWatts(state: FacilityState, atMs: number): number {
  let capacity = 0;
  for (const step of state.schedule) {
    if (step.effectiveFromMs > atMs) break;
    capacity = step.capacityWatts;
  }
  return capacity;
}

/** What the facility may draw at the meter at `atMs`, in milliwatts: capacity in force − reserve. */
export function facilityLimitMilliwatts(state: FacilityState, atMs: number): number {
  return Math.max(0, capacityInForceWatts(state, atMs) - state.reserveWatts) * 1000;
}

export function facilityLoadOf(state: FacilityState): number {
  return facilityLoadMilliwatts(state.itWatts, state.pueMilli);
}

/**
 * The lowest load the active curtailments hold the facility to, in milliwatts (`except` one of
 * them); none active: unlimited.
 */
export function curtailmentHoldMilliwatts(state: FacilityState, except?: string): number {
  let hold = Number.POSITIVE_INFINITY;
  for (const curtailment of state.curtailments.values())
    if (curtailment.id !== except && curtailment.holdLoadWatts !== null)
      hold = Math.min(hold, curtailment.holdLoadWatts * 1000);
  return hold;
}

/** The facility's id once it has events; a command that appends always leaves one. */
export function facilityOf(state: FacilityState): string {
  if (state.facilityId === null) throw new Error('a facility without events has no id');
  return state.facilityId;
}
