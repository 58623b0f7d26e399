import { FacilityId, PowerRejectionReason, RackId, Uuid, type PowerEvent } from '@fleet/contracts';
import { z } from 'zod';
import { capacityInForceWatts, facilityLoadOf, type FacilityState } from '../domain/facility.state';
import { kwOfMilliwatts, kwOfWatts, pueOfMilli } from '../domain/power-units';

/** `GET /facilities/:facilityId/power`: the facility at one instant (also the answer of its PUTs). */
export const FacilityPowerView = z.object({
  facilityId: FacilityId,
  at: z.iso.datetime().describe('the instant the figures are for'),
  capacityKw: z.number().describe('capacity in force at `at`, at the facility meter'),
  reserveKw: z.number(),
  pue: z.number(),
  itKwAllocated: z.number().describe("sum of the powered rigs' nominal watts"),
  facilityLoadKw: z.number().describe('IT × PUE'),
  availableKw: z.number().describe('capacity − reserve − facility load (negative after a capacity cut)'),
  rigsOn: z.number().int(),
  rigsCurtailed: z.number().int(),
  racks: z.array(
    z.object({
      rack: RackId,
      budgetKw: z.number().nullable().describe('null: no rack budget, the facility alone limits it'),
      allocatedKw: z.number(),
    }),
  ),
  version: z.number().int().nonnegative().describe("the facility stream's version, also the ETag"),
});
export type FacilityPowerView = z.infer<typeof FacilityPowerView>;

export function toFacilityPowerView(
  state: FacilityState,
  facilityId: string,
  atMs: number,
  version: number,
): FacilityPowerView {
  const capacityWatts = capacityInForceWatts(state, atMs);
  const loadMilliwatts = facilityLoadOf(state);
  const racks = [...new Set([...state.rackBudgets.keys(), ...state.rackAllocatedWatts.keys()])].sort();
  return {
    facilityId,
    at: new Date(atMs).toISOString(),
    capacityKw: kwOfWatts(capacityWatts),
    reserveKw: kwOfWatts(state.reserveWatts),
    pue: pueOfMilli(state.pueMilli),
    itKwAllocated: kwOfWatts(state.itWatts),
    facilityLoadKw: kwOfMilliwatts(loadMilliwatts),
    availableKw: kwOfMilliwatts((capacityWatts - state.reserveWatts) * 1000 - loadMilliwatts),
    rigsOn: state.allocations.size,
    rigsCurtailed: state.curtailed.size,
    racks: racks.map((rack) => {
      const budget = state.rackBudgets.get(rack);
      return {
        rack,
        budgetKw: budget === undefined ? null : kwOfWatts(budget),
        allocatedKw: kwOfWatts(state.rackAllocatedWatts.get(rack) ?? 0),
      };
    }),
    version,
  };
}

const RejectedRigView = z.object({ rigId: Uuid, reason: PowerRejectionReason });

/** The answer of `POST …/power-on`. */
export const PowerOnView = z.object({
  dryRun: z.boolean(),
  powered: z.number().int(),
  rejected: z.array(RejectedRigView),
});
export type PowerOnView = z.infer<typeof PowerOnView>;

/** The answer of `POST …/power-off`. */
export const PowerOffView = z.object({
  dryRun: z.boolean(),
  released: z.number().int(),
  rejected: z.array(RejectedRigView),
});
export type PowerOffView = z.infer<typeof PowerOffView>;

/** How many rigs a request's events power (or release), and the rigs they reject. */
export function requestOutcomeOf(events: readonly PowerEvent[]): {
  rigs: number;
  rejected: z.infer<typeof RejectedRigView>[];
} {
  let rigs = 0;
  const rejected: z.infer<typeof RejectedRigView>[] = [];
  for (const event of events) {
    if (event.type === 'PowerAllocated' || event.type === 'PowerReleased') rigs += event.data.rigs.length;
    if (event.type === 'PowerRequestRejected') rejected.push(...event.data.rejected);
  }
  return { rigs, rejected };
}
