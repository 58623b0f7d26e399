import { toCsv, type CsvCell } from '../../report-kit/csv';
import type { PowerReport } from './power-report.read-model';

/** One row per facility and interval; the `now` rows carry the figures in force now. */
export function powerReportCsv(report: PowerReport): string {
  const rows: CsvCell[][] = [];
  for (const facility of report.facilities) {
    rows.push([
      facility.facilityId,
      'now',
      facility.capacityKw,
      facility.loadKw,
      facility.loadKw,
      facility.utilisationPercent,
      facility.rigsOn,
      facility.curtailedKw,
      facility.forecastShortfallKw,
      facility.forecastShortfallDate,
    ]);
    for (const bucket of facility.series)
      rows.push([
        facility.facilityId,
        bucket.start,
        bucket.capacityKw,
        bucket.loadKw,
        bucket.peakLoadKw,
        bucket.utilisationPercent,
        null,
        bucket.curtailedKw,
        bucket.forecastShortfallKw,
        null,
      ]);
  }
  return toCsv(
    [
      'facilityId',
      'start',
      'capacityKw',
      'loadKw',
      'peakLoadKw',
      'utilisationPercent',
      'rigsOn',
      'curtailedKw',
      'forecastShortfallKw',
      'forecastShortfallDate',
    ],
    rows,
  );
}
