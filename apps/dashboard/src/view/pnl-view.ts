import type { PnlReport } from '../api/reports';
import { formatKwh, formatUsd } from '../format/numbers';
import { explainFlag, reconciliationFlagsOf } from '../model/reconciliation-flags';
import { testId } from '../model/test-ids';
import { el, replaceContent, table } from './dom';

/** Per facility and month: revenue, energy (kWh and USD), margin, whether the month is closed. */
export function renderPnl(container: Element, report: PnlReport): void {
  replaceContent(
    container,
    table(
      ['Facility', 'Month', 'Revenue', 'Energy', 'Energy cost', 'Margin', 'Estimated days', 'Closed'],
      report.months.map((month) => {
        const id = (field: string) => testId('pnl', month.facilityId, month.month, field);
        return [
          month.facilityId,
          month.month,
          [formatUsd(month.revenueUsd), id('revenue')],
          [formatKwh(month.energyKwh), id('energy-kwh')],
          [formatUsd(month.energyUsd), id('energy-usd')],
          [formatUsd(month.marginUsd), id('margin')],
          `${month.estimatedEnergyDays} of ${month.energyDays}`,
          month.closed ? 'closed' : 'open',
        ];
      }),
      'No months booked yet.',
    ),
  );
}

/** The flags finance must look at before closing a month (the P&L report's `flags`). */
export function renderFlags(container: Element, report: PnlReport): void {
  const flags = reconciliationFlagsOf(report.months);
  replaceContent(
    container,
    el(
      'p',
      { class: 'flag-count' },
      el('span', { 'data-testid': 'reconciliation-flag-count' }, String(flags.length)),
      ' open',
    ),
    flags.length === 0
      ? el('p', { class: 'empty' }, 'Nothing to reconcile.')
      : el(
          'ul',
          { class: 'flags', 'data-testid': 'reconciliation-flags' },
          ...flags.map((flag) =>
            el(
              'li',
              { 'data-testid': testId('flag', flag.facilityId, flag.month, flag.flag) },
              el('strong', {}, `${flag.facilityId} ${flag.month}`),
              ' ',
              el('code', {}, flag.flag),
              ': ',
              explainFlag(flag.flag),
            ),
          ),
        ),
  );
}
