import type { PowerFacility, PowerReport } from '../api/reports';
import { intervalLabel } from '../format/numbers';

export interface ChartSeries {
  readonly label: string;
  /** null: no figure for that interval (a gap in the line, never a 0). */
  readonly values: readonly (number | null)[];
  readonly color: string;
  readonly stepped?: boolean;
  readonly dashed?: boolean;
}

export interface PowerChart {
  readonly labels: readonly string[];
  readonly series: readonly ChartSeries[];
  /** Series the report has no figures for at all yet (shown as "not available" beside the chart). */
  readonly unavailable: readonly string[];
}

/**
 * One facility's window as lines: capacity in force (stepped) and what it leaves after the reserve,
 * the load at each interval's end and its peak, and the curtailed load and forecast shortfall when
 * the report carries them.
 */
export function powerChartOf(facility: PowerFacility, interval: PowerReport['interval']): PowerChart {
  const series = facility.series;
  const lines: ChartSeries[] = [
    {
      label: 'Capacity kW',
      values: series.map((point) => point.capacityKw),
      color: '#1f6feb',
      stepped: true,
    },
    {
      label: 'Capacity less reserve kW',
      values: series.map((point) =>
        point.capacityKw === null ? null : point.capacityKw - facility.reserveKw,
      ),
      color: '#1f6feb',
      stepped: true,
      dashed: true,
    },
    { label: 'Load kW', values: series.map((point) => point.loadKw), color: '#2da44e' },
    {
      label: 'Peak load kW',
      values: series.map((point) => point.peakLoadKw),
      color: '#bf8700',
      dashed: true,
    },
  ];
  const optional: ChartSeries[] = [
    { label: 'Curtailed kW', values: series.map((point) => point.curtailedKw), color: '#8250df' },
    {
      label: 'Forecast shortfall kW',
      values: series.map((point) => point.forecastShortfallKw),
      color: '#cf222e',
    },
  ];
  const unavailable: string[] = [];
  for (const line of optional) {
    if (line.values.some((value) => value !== null)) lines.push(line);
    else unavailable.push(line.label);
  }
  return { labels: series.map((point) => intervalLabel(point.start, interval)), series: lines, unavailable };
}
