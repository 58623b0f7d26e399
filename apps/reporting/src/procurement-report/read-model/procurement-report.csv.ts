import { toCsv, type CsvCell } from '../../report-kit/csv';
import type { ProcurementReport } from './procurement-report';

/** The pipeline rows (section `pipeline`) then the units to come per month (section `to-come`). */
export function procurementReportCsv(report: ProcurementReport): string {
  const rows: CsvCell[][] = report.pipeline.map((line) => [
    'pipeline',
    line.orderId,
    line.facilityId,
    line.vendor,
    line.status,
    line.model,
    line.ordered,
    line.cancelled,
    line.notDispatched,
    line.inTransit,
    line.received,
    line.damaged,
    line.nextEta,
    line.delays,
    null,
    null,
  ]);
  for (const month of report.toComePerMonth)
    rows.push([
      'to-come',
      null,
      null,
      null,
      null,
      month.model,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      month.month ?? 'unscheduled',
      month.units,
    ]);
  return toCsv(
    [
      'section',
      'orderId',
      'facilityId',
      'vendor',
      'status',
      'model',
      'ordered',
      'cancelled',
      'notDispatched',
      'inTransit',
      'received',
      'damaged',
      'nextEta',
      'delays',
      'month',
      'unitsToCome',
    ],
    rows,
  );
}
