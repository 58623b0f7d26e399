import type { ProcurementReport } from '../api/reports';
import { formatCount, formatDay } from '../format/numbers';
import { pipelineTotals } from '../model/procurement-totals';
import { testId } from '../model/test-ids';
import { el, figure, replaceContent, table } from './dom';

/** Units per stage over every order, each order line, and what is still to come per month. */
export function renderProcurement(container: Element, report: ProcurementReport): void {
  const totals = pipelineTotals(report.pipeline);
  replaceContent(
    container,
    el(
      'div',
      { class: 'figures' },
      figure('Ordered', formatCount(totals.ordered), 'procurement-ordered'),
      figure('Not dispatched', formatCount(totals.notDispatched), 'procurement-not-dispatched'),
      figure('In transit', formatCount(totals.inTransit), 'procurement-in-transit'),
      figure('Received', formatCount(totals.received), 'procurement-received'),
      figure('Damaged', formatCount(totals.damaged), 'procurement-damaged'),
      figure('Cancelled', formatCount(totals.cancelled), 'procurement-cancelled'),
    ),
    table(
      [
        'Order',
        'Facility',
        'Vendor',
        'Model',
        'Status',
        'Ordered',
        'Not dispatched',
        'In transit',
        'Received',
        'Damaged',
        'Next ETA',
        'Delays',
      ],
      report.pipeline.map((line) => {
        const id = (field: string) => testId('procurement', line.orderId, line.model, field);
        return [
          line.orderId.slice(0, 8),
          line.facilityId,
          line.vendor,
          line.model,
          line.status,
          [formatCount(line.ordered), id('ordered')],
          [formatCount(line.notDispatched), id('not-dispatched')],
          [formatCount(line.inTransit), id('in-transit')],
          [formatCount(line.received), id('received')],
          [formatCount(line.damaged), id('damaged')],
          formatDay(line.nextEta),
          formatCount(line.delays),
        ];
      }),
      'No orders yet.',
    ),
    el('h3', {}, 'Still to come per month'),
    table(
      ['Month', 'Model', 'Units'],
      report.toComePerMonth.map((line) => [
        line.month ?? 'no expected date',
        line.model,
        [formatCount(line.units), testId('procurement-to-come', line.month ?? 'undated', line.model)],
      ]),
      'Nothing still to come.',
    ),
  );
}
