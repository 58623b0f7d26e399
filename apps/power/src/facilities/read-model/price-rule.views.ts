import { FacilityId, Kilowatts, UsdPerMwh } from '@fleet/contracts';
import { z } from 'zod';

/** The answer of `PUT …/price-rule`: the rule in force. */
export const PriceRuleView = z.object({
  facilityId: FacilityId,
  strikeUsdPerMwh: UsdPerMwh,
  curtailToKw: Kilowatts,
});
export type PriceRuleView = z.infer<typeof PriceRuleView>;
