import { RIG_STATUSES } from '@fleet/contracts';
import { z } from 'zod';

const Count = z.number().int().nonnegative();
const Decimal = z.string().describe('a decimal string');

/** `GET /reports/fleet`: what the fleet report answers (its CSV holds the same figures). */
export const FleetReportView = z.object({
  facilityId: z.string().nullable().describe('the facility asked for; null: every facility'),
  rigs: Count,
  byStatus: z.record(z.enum(RIG_STATUSES), Count),
  byModel: z.array(
    z.object({
      model: z.string(),
      rigs: Count,
      online: Count,
      hashrateUnit: z.string(),
      hashrateOnline: Decimal.describe('nominal hashrate of the online rigs, in hashrateUnit'),
    }),
  ),
  byFacility: z.array(z.object({ facilityId: z.string(), rigs: Count, installed: Count, online: Count })),
  installed: Count.describe('rigs in a rack: installed, online, offline or curtailed'),
  online: Count,
  hashrateOnline: z.record(z.string(), Decimal).describe('nominal hashrate online per unit (TH/s, kSol/s)'),
});
export type FleetReportView = z.infer<typeof FleetReportView>;
