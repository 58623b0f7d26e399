import { z } from 'zod';

const Units = z.number().int().nonnegative();

/** `GET /reports/procurement`: the pipeline per order and model, and the units to come per month. */
export const ProcurementReportView = z.object({
  pipeline: z.array(
    z.object({
      orderId: z.string(),
      facilityId: z.string(),
      vendor: z.string(),
      status: z.enum(['open', 'cancelled', 'fulfilled']),
      model: z.string(),
      ordered: Units,
      cancelled: Units,
      inTransit: Units.describe('dispatched, not yet received nor reported damaged'),
      received: Units,
      damaged: Units,
      notDispatched: Units,
      nextEta: z.string().nullable().describe('the earliest ETA of a shipment still in transit'),
      delays: Units.describe('delays announced on its shipments'),
    }),
  ),
  toComePerMonth: z.array(
    z.object({
      month: z.string().nullable().describe('YYYY-MM; null: ordered without an expected delivery'),
      model: z.string(),
      units: Units,
    }),
  ),
});
export type ProcurementReportView = z.infer<typeof ProcurementReportView>;
