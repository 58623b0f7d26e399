import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { PowerReport } from '../api/reports';
import { formatCount, formatKw, formatPercent, NOT_AVAILABLE } from '../format/numbers';
import { powerChartOf } from '../model/power-chart';
import { testId } from '../model/test-ids';
import { el, figure, replaceContent } from './dom';

// Only what a line chart needs, so the bundle leaves the rest of chart.js out.
Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Per facility: the figures now, and load against capacity over the report's window. */
export class PowerView {
  private charts: Chart[] = [];

  constructor(private readonly container: Element) {}

  render(report: PowerReport): void {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
    if (report.facilities.length === 0) {
      replaceContent(this.container, el('p', { class: 'empty' }, 'No facility has a capacity or load yet.'));
      return;
    }
    replaceContent(
      this.container,
      el(
        'p',
        { class: 'window' },
        `By ${report.interval}, ${report.from.slice(0, 16).replace('T', ' ')} to ${report.to.slice(0, 16).replace('T', ' ')} UTC`,
      ),
      ...report.facilities.map((facility) => {
        const id = (field: string) => testId('power', facility.facilityId, field);
        const chart = powerChartOf(facility, report.interval);
        const canvas = el('canvas', {
          'data-testid': id('chart'),
          role: 'img',
          'aria-label': `Power of ${facility.facilityId}`,
        });
        this.charts.push(
          new Chart(canvas, {
            type: 'line',
            data: {
              labels: [...chart.labels],
              datasets: chart.series.map((line) => ({
                label: line.label,
                data: [...line.values],
                borderColor: line.color,
                backgroundColor: line.color,
                borderDash: line.dashed ? [6, 4] : [],
                stepped: line.stepped ? ('before' as const) : false,
                pointRadius: 0,
                borderWidth: 2,
                spanGaps: false,
              })),
            },
            options: {
              animation: false,
              maintainAspectRatio: false,
              interaction: { mode: 'index', intersect: false },
              scales: { y: { beginAtZero: true, title: { display: true, text: 'kW' } } },
              plugins: { legend: { position: 'bottom' } },
            },
          }),
        );
        return el(
          'article',
          { class: 'facility-power' },
          el('h3', {}, facility.facilityId),
          el(
            'div',
            { class: 'figures' },
            figure(
              'Capacity',
              formatKw(facility.capacityKw),
              id('capacity'),
              `reserve ${formatKw(facility.reserveKw)}`,
            ),
            figure(
              'Load',
              formatKw(facility.loadKw),
              id('load'),
              `IT ${formatKw(facility.itKw)}, PUE ${facility.pue}`,
            ),
            figure('Utilisation', formatPercent(facility.utilisationPercent), id('utilisation')),
            figure('Rigs on', formatCount(facility.rigsOn), id('rigs-on')),
            figure('Curtailed', formatKw(facility.curtailedKw), id('curtailed')),
            figure('Forecast shortfall', formatKw(facility.forecastShortfallKw), id('forecast-shortfall')),
          ),
          el('div', { class: 'chart' }, canvas),
          chart.unavailable.length > 0
            ? el(
                'p',
                { class: 'note' },
                `${chart.unavailable.join(' and ')}: ${NOT_AVAILABLE} (not published yet).`,
              )
            : null,
        );
      }),
    );
  }
}
