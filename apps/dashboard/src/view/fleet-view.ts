import type { FleetReport } from '../api/reports';
import { formatCount, groupDigits } from '../format/numbers';
import { testId } from '../model/test-ids';
import { el, figure, replaceContent, table } from './dom';

/** Rigs by status and by model, installed against online, hashrate online per unit. */
export function renderFleet(container: Element, report: FleetReport): void {
  const hashrate = Object.entries(report.hashrateOnline);
  replaceContent(
    container,
    el(
      'div',
      { class: 'figures' },
      figure('Rigs', formatCount(report.rigs), 'fleet-rigs'),
      figure('Installed', formatCount(report.installed), 'fleet-installed', 'in a rack'),
      figure('Online', formatCount(report.online), 'fleet-online'),
      ...hashrate.map(([unit, value]) =>
        figure(`Online ${unit}`, groupDigits(value), testId('fleet-hashrate', unit)),
      ),
    ),
    el('h3', {}, 'By status'),
    table(
      ['Status', 'Rigs'],
      Object.entries(report.byStatus).map(([status, rigs]) => [
        status.replace(/_/g, ' '),
        [formatCount(rigs), testId('fleet-status', status)],
      ]),
      'No rigs yet.',
    ),
    el('h3', {}, 'By model'),
    table(
      ['Model', 'Rigs', 'Online', 'Hashrate online'],
      report.byModel.map((line) => [
        line.model,
        [formatCount(line.rigs), testId('fleet-model', line.model, 'rigs')],
        [formatCount(line.online), testId('fleet-model', line.model, 'online')],
        [
          `${groupDigits(line.hashrateOnline)} ${line.hashrateUnit}`,
          testId('fleet-model', line.model, 'hashrate'),
        ],
      ]),
      'No rigs yet.',
    ),
  );
}
