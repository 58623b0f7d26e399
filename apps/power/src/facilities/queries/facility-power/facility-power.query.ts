import { Instant } from '@fleet/contracts';
import { z } from 'zod';

/** `GET /facilities/:facilityId/power` query string: `at`, an instant, answers as of then. */
export const FacilityPowerQuery = z.strictObject({
  at: Instant.optional().describe('answer as of this instant, from the events up to then'),
});
export type FacilityPowerQuery = z.infer<typeof FacilityPowerQuery>;
