import {
  MAX_RIGS_PER_CURTAILMENT_EVENT,
  type CurtailedRig,
  type CurtailmentEnding,
  type NotRestoredRig,
  type PowerEvent,
} from '@fleet/contracts';
import { chunksOf } from '@fleet/event-sourcing';
import type { EndCurtailment } from './facility.commands';
import {
  curtailmentHoldMilliwatts,
  facilityLimitMilliwatts,
  facilityLoadOf,
  type CurtailmentState,
  type FacilityState,
} from './facility.state';
import { facilityLoadMilliwatts } from './power-units';
import { shedOrder } from './shed-order';

/** What a curtailment's start comes to: the load it holds the facility to and the rigs it sheds for it. */
export interface ShedDecision {
  readonly holdLoadWatts: number;
  readonly rigs: readonly CurtailedRig[];
}

/**
 * The rigs to shed so that the facility's load (IT × PUE) comes down to the curtailment's target
 * (or by `reduceByWatts` from the load now): allocated rigs in shed order (`shedOrder`), never a
 * protected one, each while the load is still above the target. When protected rigs keep it above,
 * every other rig is shed and the load stays where that leaves it.
 */
export function decideShed(state: FacilityState, curtailment: CurtailmentState): ShedDecision {
  let load = facilityLoadOf(state);
  const holdLoadWatts =
    curtailment.targetLoadWatts ?? Math.max(0, Math.floor(load / 1000) - (curtailment.reduceByWatts ?? 0));
  const protectedRigs = new Set(curtailment.protectedRigIds);
  const candidates: CurtailedRig[] = [];
  for (const [rigId, allocation] of state.allocations)
    if (!protectedRigs.has(rigId)) candidates.push({ rigId, ...allocation });
  candidates.sort(shedOrder(curtailment.modelOrder));
  const rigs: CurtailedRig[] = [];
  for (const rig of candidates) {
    if (load <= holdLoadWatts * 1000) break;
    rigs.push(rig);
    load -= facilityLoadMilliwatts(rig.itWatts, state.pueMilli);
  }
  return { holdLoadWatts, rigs };
}

/** What a curtailment's end comes to: the rigs powered again, those that cannot be, those handed over. */
export interface RestoreDecision {
  readonly restored: readonly CurtailedRig[];
  readonly notRestored: readonly NotRestoredRig[];
  readonly handedOverTo: string | null;
  readonly handedOver: readonly CurtailedRig[];
}

/**
 * Powers the rigs the curtailment shed again, the last shed first (the most efficient come back
 * first when room is short): each only where power's view still has it installed in this facility
 * (at its placement there now), and within the capacity in force less the reserve and its rack's
 * budget. Overlapping curtailments: the lowest target of those active binds. A rig that would raise
 * the load above the lowest target of those still active is handed over to that curtailment, which
 * restores it when it ends (back-to-back price intervals: the rigs stay off across both, and come
 * back when the last ends).
 */
export function decideRestore(state: FacilityState, { data }: EndCurtailment): RestoreDecision {
  const limit = facilityLimitMilliwatts(state, Date.parse(data.at));
  const hold = curtailmentHoldMilliwatts(state, data.curtailmentId);
  const binding = bindingCurtailment(state, data.curtailmentId);
  const handedOver: CurtailedRig[] = [];
  let load = facilityLoadOf(state);
  const rackWatts = new Map<string, number>();
  const restored: CurtailedRig[] = [];
  const notRestored: NotRestoredRig[] = [];
  const shed = [...state.curtailed].filter(([, rig]) => rig.curtailmentId === data.curtailmentId).reverse();
  for (const [rigId] of shed) {
    const placement = data.placements.get(rigId) ?? null;
    if (!placement) {
      notRestored.push({ rigId, reason: 'not-installed' });
      continue;
    }
    if (state.allocations.has(rigId)) {
      notRestored.push({ rigId, reason: 'already-on' });
      continue;
    }
    const added = facilityLoadMilliwatts(placement.itWatts, state.pueMilli);
    if (load + added > limit) {
      notRestored.push({ rigId, reason: 'facility-capacity' });
      continue;
    }
    if (load + added > hold && binding !== null) {
      handedOver.push({ rigId, ...placement });
      continue;
    }
    const inRack = rackWatts.get(placement.rack) ?? state.rackAllocatedWatts.get(placement.rack) ?? 0;
    const budget = state.rackBudgets.get(placement.rack);
    if (budget !== undefined && inRack + placement.itWatts > budget) {
      notRestored.push({ rigId, reason: 'rack-budget' });
      continue;
    }
    load += added;
    rackWatts.set(placement.rack, inRack + placement.itWatts);
    restored.push({ rigId, ...placement });
  }
  return { restored, notRestored, handedOverTo: handedOver.length > 0 ? binding : null, handedOver };
}

/** The active curtailment with the lowest target, `except` one: the one that holds the facility's load down. */
function bindingCurtailment(state: FacilityState, except: string): string | null {
  let binding: { id: string; holdLoadWatts: number } | null = null;
  for (const { id, holdLoadWatts } of state.curtailments.values())
    if (
      id !== except &&
      holdLoadWatts !== null &&
      (binding === null || holdLoadWatts < binding.holdLoadWatts)
    )
      binding = { id, holdLoadWatts };
  return binding?.id ?? null;
}

/** A start as events: the rigs shed in parts of at most 1,000, one part with none when nothing is shed. */
export function rigsCurtailedEvents(
  facilityId: string,
  curtailmentId: string,
  { holdLoadWatts, rigs }: ShedDecision,
): PowerEvent[] {
  const parts = rigs.length === 0 ? [[]] : chunksOf(rigs, MAX_RIGS_PER_CURTAILMENT_EVENT);
  return parts.map((part, index) => ({
    type: 'RigsCurtailed',
    data: {
      facilityId,
      curtailmentId,
      part: index + 1,
      parts: parts.length,
      targetLoadWatts: holdLoadWatts,
      rigs: part,
    },
  }));
}

/** An end as events: restored, not restored and handed over side by side, parts of at most 1,000 of each. */
export function curtailmentEndedEvents(
  facilityId: string,
  curtailmentId: string,
  ending: CurtailmentEnding,
  { restored, notRestored, handedOverTo, handedOver }: RestoreDecision,
): PowerEvent[] {
  const restoredParts = chunksOf(restored, MAX_RIGS_PER_CURTAILMENT_EVENT);
  const notRestoredParts = chunksOf(notRestored, MAX_RIGS_PER_CURTAILMENT_EVENT);
  const handedOverParts = chunksOf(handedOver, MAX_RIGS_PER_CURTAILMENT_EVENT);
  const parts = Math.max(1, restoredParts.length, notRestoredParts.length, handedOverParts.length);
  return Array.from({ length: parts }, (_, index) => ({
    type: 'CurtailmentEnded',
    data: {
      facilityId,
      curtailmentId,
      part: index + 1,
      parts,
      ending,
      restored: [...(restoredParts[index] ?? [])],
      notRestored: [...(notRestoredParts[index] ?? [])],
      handedOverTo,
      handedOver: [...(handedOverParts[index] ?? [])],
    },
  }));
}
