import { FacilityId } from '@fleet/contracts';
import { z } from 'zod';
import { ReportFormat } from '../../../report-kit/csv';

/** `GET /reports/fleet` query string. */
export const GetFleetReportQuery = z.strictObject({
  facilityId: FacilityId.optional().describe('one facility; every facility when absent'),
  format: ReportFormat,
});
export type GetFleetReportQuery = z.infer<typeof GetFleetReportQuery>;
