import { z } from 'zod';
import { Instant, Uuid } from '../common';
import { RigModelId } from '../rig-models';
import { MAX_PROTECTED_RIGS } from './curtailment-events';
import { UsdPerMwh } from './energy-prices-posted';
import { Kilowatts } from './events';

/**
 * `POST /facilities/:facilityId/curtailments`: exactly one of `reduceByKw` (lower the facility's
 * load by this much from what it is at `startsAt`) or `targetLoadKw` (hold it at this at the meter),
 * from `startsAt` (default now) to `endsAt`. `dryRun` answers the rigs and kW it would shed now.
 */
export const PostCurtailmentRequest = z
  .object({
    reduceByKw: Kilowatts.refine((kw) => kw > 0, { message: 'more than 0' }).optional(),
    targetLoadKw: Kilowatts.optional(),
    startsAt: Instant.optional(),
    endsAt: Instant,
    reason: z.string().trim().min(1).max(500),
    protectedRigIds: z.array(Uuid).max(MAX_PROTECTED_RIGS).default([]),
    modelOrder: z.array(RigModelId).max(100).default([]),
    dryRun: z.boolean().default(false),
  })

  .refine((body) => (body.reduceByKw === undefined) !== (body.targetLoadKw === undefined), {
    message: 'exactly one of reduceByKw or targetLoadKw',
    path: [],
  })
  .refine((body) => body.startsAt === undefined || Date.parse(body.startsAt) < Date.parse(body.endsAt), {
    message: 'endsAt after startsAt',
    path: ['endsAt'],
  });
export type PostCurtailmentRequest = z.infer<typeof PostCurtailmentRequest>;

/** `PUT /facilities/:facilityId/price-rule`: every interval priced above the strike is curtailed to `curtailToKw`. */
export const PutPriceRuleRequest = z.object({ strikeUsdPerMwh: UsdPerMwh, curtailToKw: Kilowatts });
export type PutPriceRuleRequest = z.infer<typeof PutPriceRuleRequest>;
