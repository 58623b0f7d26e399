import type { CurtailmentEnding, CurtailmentTrigger, PowerReleaseReason } from '@fleet/contracts';

/**
 * Commands carry everything the decider needs; it never looks anything up. The rigs a power-on
 * names come with their placement from power's view of inventory (null: not installed here).
 */
export interface ScheduleCapacity {
  readonly type: 'ScheduleCapacity';
  readonly data: {
    readonly facilityId: string;
    readonly schedule: readonly { readonly effectiveFrom: string; readonly capacityWatts: number }[];
    readonly reserveWatts: number;
    readonly pueMilli: number;
  };
}

export interface SetRackBudget {
  readonly type: 'SetRackBudget';
  readonly data: { readonly facilityId: string; readonly rack: string; readonly budgetWatts: number };
}

/** Where an installed rig sits and what it draws: its model's nominal watts. */
export interface RigPlacement {
  readonly rack: string;
  readonly slot: number;
  readonly model: string;
  readonly itWatts: number;
}

export interface PowerCandidate {
  readonly rigId: string;
  /** Null when power's view has the rig nowhere in this facility's racks. */
  readonly placement: RigPlacement | null;
}

export interface PowerOn {
  readonly type: 'PowerOn';
  readonly data: {
    readonly facilityId: string;
    readonly requestId: string;
    /** ISO instant of the request: which capacity step is in force. */
    readonly at: string;
    /** In the order they are to be powered. */
    readonly rigs: readonly PowerCandidate[];
  };
}

/** Which allocated rigs a power-off means; racks and all are resolved against the allocations. */
export type PowerSelection =
  { readonly rigIds: readonly string[] } | { readonly racks: readonly string[] } | { readonly all: true };

export interface PowerOff {
  readonly type: 'PowerOff';
  readonly data: {
    readonly facilityId: string;
    readonly requestId: string;
    /** `requested` by an operator (rigs not on are answered `not-on`); otherwise power's own release. */
    readonly reason: PowerReleaseReason;
    readonly selection: PowerSelection;
  };
}

/**
 * A curtailment asked for (exactly one of `reduceByWatts` and `targetLoadWatts`): it starts at once
 * when `startsAt` is not after `at`, else later by `StartCurtailment`. A known id appends nothing,
 * so the price rule may schedule an interval's curtailment again.
 */
export interface Curtail {
  readonly type: 'Curtail';
  readonly data: {
    readonly facilityId: string;
    readonly curtailmentId: string;
    readonly trigger: CurtailmentTrigger;
    readonly reduceByWatts: number | null;
    readonly targetLoadWatts: number | null;
    /** ISO instants, normalised (`toISOString`). */
    readonly startsAt: string;
    readonly endsAt: string;
    readonly reason: string;
    readonly protectedRigIds: readonly string[];
    readonly modelOrder: readonly string[];
    /** ISO instant of the request. */
    readonly at: string;
  };
}

/** The durable schedule starting a curtailment at its `startsAt`; one already started (or ended) appends nothing. */
export interface StartCurtailment {
  readonly type: 'StartCurtailment';
  readonly data: { readonly facilityId: string; readonly curtailmentId: string; readonly at: string };
}

/**
 * Ends a curtailment, restoring the rigs it shed that are still installed here: each comes with its
 * placement from power's view of inventory (null: no longer installed in this facility). A second
 * end appends nothing.
 */
export interface EndCurtailment {
  readonly type: 'EndCurtailment';
  readonly data: {
    readonly facilityId: string;
    readonly curtailmentId: string;
    readonly ending: CurtailmentEnding;
    readonly at: string;
    readonly placements: ReadonlyMap<string, RigPlacement | null>;
  };
}

export interface SetPriceRule {
  readonly type: 'SetPriceRule';
  readonly data: {
    readonly facilityId: string;
    readonly strikeUsdPerMwh: string;
    readonly curtailToWatts: number;
  };
}

export type FacilityCommand =
  | ScheduleCapacity
  | SetRackBudget
  | PowerOn
  | PowerOff
  | Curtail
  | StartCurtailment
  | EndCurtailment
  | SetPriceRule;
