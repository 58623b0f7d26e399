import { z } from 'zod';
import { Uuid } from '../common';
import { RackId } from '../inventory/events';
import { CapacityStep, Kilowatts, MAX_CAPACITY_STEPS, Pue } from './events';

/** HTTP request bodies of the power API. */
export const PutCapacityRequest = z
  .object({
    schedule: z.array(CapacityStep).min(1).max(MAX_CAPACITY_STEPS),
    reserveKw: Kilowatts.default(0),
    pue: Pue,
  })
  .refine(
    (body) =>
      body.schedule.every(
        (step, index) =>
          index === 0 || Date.parse(body.schedule[index - 1].effectiveFrom) < Date.parse(step.effectiveFrom),
      ),
    { message: 'steps in strictly increasing effectiveFrom order', path: ['schedule'] },
  );
export type PutCapacityRequest = z.infer<typeof PutCapacityRequest>;

export const PutRackBudgetRequest = z.object({ budgetKw: Kilowatts });
export type PutRackBudgetRequest = z.infer<typeof PutRackBudgetRequest>;

/** One request may name every rig of the seed's facility after next year's growth (13,300) and more. */
export const MAX_RIGS_PER_POWER_REQUEST = 20_000;
export const MAX_RACKS_PER_POWER_REQUEST = 5_000;

/**
 * `POST /facilities/:facilityId/power-on` and `/power-off`: exactly one selector, `rigIds` (in the
 * order given), `racks` (racks in the order given, each rig by slot) or `all` (racks by name).
 * `dryRun` decides and answers without changing anything.
 */
export const PowerRequest = z
  .object({
    rigIds: z.array(Uuid).min(1).max(MAX_RIGS_PER_POWER_REQUEST).optional(),
    racks: z.array(RackId).min(1).max(MAX_RACKS_PER_POWER_REQUEST).optional(),
    all: z.literal(true).optional(),
    dryRun: z.boolean().default(false),
  })
  .refine(
    (body) => [body.rigIds, body.racks, body.all].filter((selector) => selector !== undefined).length === 1,
    { message: 'name the rigs with exactly one of rigIds, racks or all', path: [] },
  );
export type PowerRequest = z.infer<typeof PowerRequest>;
