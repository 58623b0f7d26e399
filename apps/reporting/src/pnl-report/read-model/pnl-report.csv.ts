import { toCsv, type CsvCell } from '../../report-kit/csv';
import type { PnlReport } from './pnl-report.read-model';

/** One row per facility, month and coin (coin empty on the month's totals row). */
export function pnlReportCsv(report: PnlReport): string {
  const rows: CsvCell[][] = [];
  for (const month of report.months) {
    rows.push([
      month.facilityId,
      month.month,
      null,
      null,
      month.revenueUsd,
      month.energyKwh,
      month.energyUsd,
      month.marginUsd,
      month.flags.join(' '),
      month.closed,
    ]);
    for (const coin of month.revenue)
      rows.push([
        month.facilityId,
        month.month,
        coin.coin,
        coin.amount,
        coin.usd,
        null,
        null,
        null,
        coin.unvaluedPayouts > 0 ? 'payouts-without-fixing' : '',
        month.closed,
      ]);
  }
  return toCsv(
    [
      'facilityId',
      'month',
      'coin',
      'coinAmount',
      'revenueUsd',
      'energyKwh',
      'energyUsd',
      'marginUsd',
      'flags',
      'closed',
    ],
    rows,
  );
}
