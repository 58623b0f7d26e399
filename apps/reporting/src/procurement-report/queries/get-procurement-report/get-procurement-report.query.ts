import { FacilityId } from '@fleet/contracts';
import { z } from 'zod';
import { ReportFormat } from '../../../report-kit/csv';

/** `GET /reports/procurement` query string. */
export const GetProcurementReportQuery = z.strictObject({
  facilityId: FacilityId.optional().describe('one facility; every facility when absent'),
  format: ReportFormat,
});
export type GetProcurementReportQuery = z.infer<typeof GetProcurementReportQuery>;
