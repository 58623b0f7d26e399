import { z } from 'zod';
import { CalendarDate, FacilityId, Instant, Uuid } from '../common';
import { defineEvent, type EventOf } from '../event-definition';
import { RackId, SlotNumber } from '../inventory/events';
import { RigModelId } from '../rig-models';
import {
  CurtailmentEnded,
  CurtailmentScheduled,
  PriceRuleSet,
  RigsCurtailed,
  type CurtailmentEvent,
} from './curtailment-events';
import { EnergyCostAccrued } from './energy-cost-accrued';
import { MeterReadingsRecorded, TariffSet } from './energy-events';
import { EnergyPricesPosted } from './energy-prices-posted';

/**
 * Power is counted in whole watts everywhere inside Fleet (kW on the API may carry up to three
 * decimals): sums and comparisons stay exact, never floats drifting across 13,300 rigs.
 */
export const Watts = z.number().int().nonnegative().max(1_000_000_000);

/**
 * kW on the API: a number with at most three decimals (whole watts), up to 1 GW. A facility of
 * the seed has 3,000 kW; a rack budget is tens of kW.
 */
export const Kilowatts = z
  .number()
  .nonnegative()
  .max(1_000_000)
  .refine((kw) => Math.abs(kw * 1000 - Math.round(kw * 1000)) < 1e-6, {
    message: 'at most three decimals (whole watts)',
  });

/**
 * Power usage effectiveness: facility load over IT load, 1 (no overhead) to 3, at most three
 * decimals. Kept as thousandths (`pueMilli`: 1.05 → 1050) so load arithmetic stays in integers.
 */
export const Pue = z
  .number()
  .min(1)
  .max(3)
  .refine((pue) => Math.abs(pue * 1000 - Math.round(pue * 1000)) < 1e-6, {
    message: 'at most three decimals',
  });

/** When a capacity step takes effect: a date (midnight UTC) or an instant. */
export const EffectiveFrom = z.union([CalendarDate, Instant]);

export const CapacityStep = z.object({ effectiveFrom: EffectiveFrom, capacityKw: Kilowatts });
export type CapacityStep = z.infer<typeof CapacityStep>;

export const MAX_CAPACITY_STEPS = 100;

/**
 * An allocation or release of many rigs is recorded as several events of at most this many rigs,
 * like a receipt: a rig entry is about 150 bytes of JSON, so a part stays near 150 KB, far below
 * NATS's 1 MiB payload.
 */
export const MAX_RIGS_PER_POWER_EVENT = 1000;

/** One rig in an allocation or release: where it sits and the IT watts it draws (its model's nominal). */
export const PoweredRig = z.object({
  rigId: Uuid,
  rack: RackId,
  slot: SlotNumber,
  model: RigModelId,
  itWatts: Watts,
});
export type PoweredRig = z.infer<typeof PoweredRig>;

/** Why a rig's power was released. */
export const POWER_RELEASE_REASONS = ['requested', 'rig-in-repair', 'rig-decommissioned'] as const;
export const PowerReleaseReason = z.enum(POWER_RELEASE_REASONS);
export type PowerReleaseReason = z.infer<typeof PowerReleaseReason>;

/**
 * Why a rig named in a power request was not powered (`curtailment-active`: a curtailment holds
 * the facility's load down), or, for a power-off, not released (`not-on`).
 */
export const POWER_REJECTION_REASONS = [
  'facility-capacity',
  'rack-budget',
  'not-installed',
  'already-on',
  'curtailment-active',
  'not-on',
] as const;
export const PowerRejectionReason = z.enum(POWER_REJECTION_REASONS);
export type PowerRejectionReason = z.infer<typeof PowerRejectionReason>;

export const RejectedRig = z.object({ rigId: Uuid, reason: PowerRejectionReason });
export type RejectedRig = z.infer<typeof RejectedRig>;

/** Part `part` of `parts` of one request's events of one type (`requestId` ties them together). */
const RequestPart = {
  facilityId: FacilityId,
  requestId: Uuid,
  part: z.number().int().positive(),
  parts: z.number().int().positive(),
};

export const FacilityCapacityScheduled = defineEvent(
  'power',
  'FacilityCapacityScheduled',
  1,
  z.object({
    facilityId: FacilityId,
    /** In `effectiveFrom` order; replaces the whole earlier schedule. */
    schedule: z.array(z.object({ effectiveFrom: EffectiveFrom, capacityWatts: Watts })).min(1),
    reserveWatts: Watts,
    /** PUE in thousandths: 1.05 → 1050. */
    pueMilli: z.number().int().min(1000).max(3000),
  }),
);

export const RackBudgetSet = defineEvent(
  'power',
  'RackBudgetSet',
  1,
  z.object({ facilityId: FacilityId, rack: RackId, budgetWatts: Watts }),
);

export const PowerAllocated = defineEvent(
  'power',
  'PowerAllocated',
  1,
  z.object({ ...RequestPart, rigs: z.array(PoweredRig).min(1).max(MAX_RIGS_PER_POWER_EVENT) }),
);

export const PowerReleased = defineEvent(
  'power',
  'PowerReleased',
  1,
  z.object({
    ...RequestPart,
    reason: PowerReleaseReason,
    rigs: z.array(PoweredRig).min(1).max(MAX_RIGS_PER_POWER_EVENT),
  }),
);

export const PowerRequestRejected = defineEvent(
  'power',
  'PowerRequestRejected',
  1,
  z.object({
    ...RequestPart,
    request: z.enum(['power-on', 'power-off']),
    rejected: z.array(RejectedRig).min(1).max(MAX_RIGS_PER_POWER_EVENT),
  }),
);

export const POWER_EVENTS = [
  FacilityCapacityScheduled,
  RackBudgetSet,
  PowerAllocated,
  PowerReleased,
  PowerRequestRejected,
  CurtailmentScheduled,
  RigsCurtailed,
  CurtailmentEnded,
  PriceRuleSet,
  EnergyPricesPosted,
  EnergyCostAccrued,
  MeterReadingsRecorded,
  TariffSet,
] as const;

export type FacilityCapacityScheduled = EventOf<typeof FacilityCapacityScheduled>;
export type RackBudgetSet = EventOf<typeof RackBudgetSet>;
export type PowerAllocated = EventOf<typeof PowerAllocated>;
export type PowerReleased = EventOf<typeof PowerReleased>;
export type PowerRequestRejected = EventOf<typeof PowerRequestRejected>;

export type PowerEvent =
  | FacilityCapacityScheduled
  | RackBudgetSet
  | PowerAllocated
  | PowerReleased
  | PowerRequestRejected
  | CurtailmentEvent
  | EnergyPricesPosted
  | EnergyCostAccrued
  | MeterReadingsRecorded
  | TariffSet;
