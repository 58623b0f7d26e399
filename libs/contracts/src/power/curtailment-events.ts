import { z } from 'zod';
import { FacilityId, Instant, Uuid } from '../common';
import { defineEvent, type EventOf } from '../event-definition';
import { RackId, SlotNumber } from '../inventory/events';
import { RigModelId } from '../rig-models';
import { UsdPerMwh } from './energy-prices-posted';

// `events.ts` lists these events in POWER_EVENTS, so this file must not import it back (an ES
// module cycle leaves one side's constants uninitialised): its few shared schemas are repeated here.

/** Whole watts, the bound of `events.ts`'s `Watts`. */
const WholeWatts = z.number().int().nonnegative().max(1_000_000_000);

/** At most this many rigs in one curtailment event, like `PowerAllocated` (about 150 KB). */
export const MAX_RIGS_PER_CURTAILMENT_EVENT = 1000;

/** At most this many protected rigs in a curtailment (a request may name every rig of a facility). */
export const MAX_PROTECTED_RIGS = 20_000;

/** Who asked for a curtailment: an operator, or the price rule for one priced interval. */
export const CURTAILMENT_TRIGGERS = ['manual', 'price-rule'] as const;
export const CurtailmentTrigger = z.enum(CURTAILMENT_TRIGGERS);
export type CurtailmentTrigger = z.infer<typeof CurtailmentTrigger>;

/**
 * How a curtailment ended: at its `endsAt`, earlier by `POST …/end`, or by the price rule no longer
 * calling for it (its interval's price fell to the strike or below, the rule changed).
 */
export const CURTAILMENT_ENDINGS = ['scheduled', 'requested', 'price-rule'] as const;
export const CurtailmentEnding = z.enum(CURTAILMENT_ENDINGS);
export type CurtailmentEnding = z.infer<typeof CurtailmentEnding>;

/**
 * Why a rig a curtailment shed was not powered again when it ended: no longer installed in this
 * facility (moved, in repair, decommissioned), powered meanwhile, or no room (the capacity in force,
 * its rack's budget). A rig another active curtailment keeps off is handed over to it instead.
 */
export const NOT_RESTORED_REASONS = [
  'not-installed',
  'already-on',
  'facility-capacity',
  'rack-budget',
] as const;
export const NotRestoredReason = z.enum(NOT_RESTORED_REASONS);
export type NotRestoredReason = z.infer<typeof NotRestoredReason>;

/** A rig a curtailment sheds or restores: where it sits and the IT watts it draws. */
export const CurtailedRig = z.object({
  rigId: Uuid,
  rack: RackId,
  slot: SlotNumber,
  model: RigModelId,
  itWatts: WholeWatts,
});
export type CurtailedRig = z.infer<typeof CurtailedRig>;

export const NotRestoredRig = z.object({ rigId: Uuid, reason: NotRestoredReason });
export type NotRestoredRig = z.infer<typeof NotRestoredRig>;

/**
 * A curtailment asked for: hold the facility's load (IT × PUE, at the meter) at `targetLoadWatts`,
 * or lower it by `reduceByWatts` from what it is when the curtailment starts, from `startsAt` to
 * `endsAt`. Rigs are shed least efficient first (or by `modelOrder`), never a protected one.
 */
export const CurtailmentScheduled = defineEvent(
  'power',
  'CurtailmentScheduled',
  1,
  z.object({
    facilityId: FacilityId,
    curtailmentId: Uuid,
    trigger: CurtailmentTrigger,
    /** Exactly one of the two is set. */
    reduceByWatts: WholeWatts.nullable(),
    targetLoadWatts: WholeWatts.nullable(),
    startsAt: Instant,
    endsAt: Instant,
    reason: z.string().max(500),
    protectedRigIds: z.array(Uuid).max(MAX_PROTECTED_RIGS),
    /** Models shed first, in this order, before the rest by efficiency. */
    modelOrder: z.array(RigModelId).max(100),
  }),
);

/**
 * A curtailment started: part `part` of `parts` of the rigs it shed (no longer allocated, remembered
 * as curtailed by it). A start that sheds nothing (the load already at the target) is one part with
 * no rigs. `targetLoadWatts` is the load it holds the facility to while it is active.
 */
export const RigsCurtailed = defineEvent(
  'power',
  'RigsCurtailed',
  1,
  z.object({
    facilityId: FacilityId,
    curtailmentId: Uuid,
    part: z.number().int().positive(),
    parts: z.number().int().positive(),
    targetLoadWatts: WholeWatts,
    rigs: z.array(CurtailedRig).max(MAX_RIGS_PER_CURTAILMENT_EVENT),
  }),
);

/**
 * A curtailment ended: part `part` of `parts` of the rigs it powered again (allocated once more), of
 * those it could not, each with its reason, and of those another active curtailment still keeps off
 * (its lower target binds): they pass to that one, `handedOverTo`, which restores them when it ends.
 * A curtailment ended before it started restores none.
 */
export const CurtailmentEnded = defineEvent(
  'power',
  'CurtailmentEnded',
  1,
  z.object({
    facilityId: FacilityId,
    curtailmentId: Uuid,
    part: z.number().int().positive(),
    parts: z.number().int().positive(),
    ending: CurtailmentEnding,
    restored: z.array(CurtailedRig).max(MAX_RIGS_PER_CURTAILMENT_EVENT),
    notRestored: z.array(NotRestoredRig).max(MAX_RIGS_PER_CURTAILMENT_EVENT),
    handedOverTo: Uuid.nullable(),
    handedOver: z.array(CurtailedRig).max(MAX_RIGS_PER_CURTAILMENT_EVENT),
  }),
);

/** Every priced interval above `strikeUsdPerMwh` is curtailed to `curtailToWatts` at the meter. */
export const PriceRuleSet = defineEvent(
  'power',
  'PriceRuleSet',
  1,
  z.object({ facilityId: FacilityId, strikeUsdPerMwh: UsdPerMwh, curtailToWatts: WholeWatts }),
);

export type CurtailmentScheduled = EventOf<typeof CurtailmentScheduled>;
export type RigsCurtailed = EventOf<typeof RigsCurtailed>;
export type CurtailmentEnded = EventOf<typeof CurtailmentEnded>;
export type PriceRuleSet = EventOf<typeof PriceRuleSet>;

export type CurtailmentEvent = CurtailmentScheduled | RigsCurtailed | CurtailmentEnded | PriceRuleSet;
