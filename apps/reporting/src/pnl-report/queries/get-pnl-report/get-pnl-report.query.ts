import { FacilityId, Month } from '@fleet/contracts';
import { z } from 'zod';
import { ReportFormat } from '../../../report-kit/csv';

/** `GET /reports/pnl` query string. */
export const GetPnlReportQuery = z.strictObject({
  facilityId: FacilityId.optional().describe('one facility; every facility when absent'),
  month: Month.optional().describe('one month (YYYY-MM); every month when absent'),
  format: ReportFormat,
});
export type GetPnlReportQuery = z.infer<typeof GetPnlReportQuery>;
