import { toCsv, type CsvCell } from '../../report-kit/csv';
import type { FleetReport } from './fleet-report';

/**
 * The fleet report as CSV: one row per figure (`section,key,…`), so that the three breakdowns and
 * the totals share one header.
 */
export function fleetReportCsv(report: FleetReport): string {
  const rows: CsvCell[][] = [
    ['total', 'rigs', '', report.rigs, ''],
    ['total', 'installed', '', report.installed, ''],
    ['total', 'online', '', report.online, ''],
  ];
  for (const [unit, hashrate] of Object.entries(report.hashrateOnline))
    rows.push(['total', 'hashrate-online', '', hashrate, unit]);
  for (const [status, rigs] of Object.entries(report.byStatus)) rows.push(['status', status, '', rigs, '']);
  for (const model of report.byModel) {
    rows.push(['model', model.model, 'rigs', model.rigs, '']);
    rows.push(['model', model.model, 'online', model.online, '']);
    rows.push(['model', model.model, 'hashrate-online', model.hashrateOnline, model.hashrateUnit]);
  }
  for (const facility of report.byFacility) {
    rows.push(['facility', facility.facilityId, 'rigs', facility.rigs, '']);
    rows.push(['facility', facility.facilityId, 'installed', facility.installed, '']);
    rows.push(['facility', facility.facilityId, 'online', facility.online, '']);
  }
  return toCsv(['section', 'key', 'figure', 'value', 'unit'], rows);
}
