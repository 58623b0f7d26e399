import type { PipelineLine, PnlMonth, PowerFacility } from '../api/reports';
import { reportUrl } from '../api/reports-client';
import { facilityIdsOf } from './facilities';
import { powerChartOf } from './power-chart';
import { pipelineTotals } from './procurement-totals';
import { explainFlag, reconciliationFlagsOf } from './reconciliation-flags';
import { testId } from './test-ids';

const line = (orderId: string, facilityId: string, units: Partial<PipelineLine>): PipelineLine => ({
  orderId,
  facilityId,
  vendor: 'ASICminer',
  status: 'open',
  model: 'asicminer-8-nano',
  ordered: 0,
  cancelled: 0,
  inTransit: 0,
  received: 0,
  damaged: 0,
  notDispatched: 0,
  nextEta: null,
  delays: 0,
  ...units,
});

const month = (facilityId: string, name: string, flags: string[]): PnlMonth => ({
  facilityId,
  month: name,
  revenueUsd: '0.00',
  energyKwh: '0',
  energyUsd: '0.00',
  energyDays: 0,
  estimatedEnergyDays: 0,
  marginUsd: '0.00',
  flags,
  closed: false,
});

describe('what the page makes of the reports', () => {
  it('sums the pipeline per stage over every order line', () => {
    expect(
      pipelineTotals([
        line('o1', 'us-tx-01', { ordered: 1300, inTransit: 300, received: 998, damaged: 2 }),
        line('o2', 'us-tx-02', { ordered: 100, notDispatched: 60, cancelled: 40 }),
      ]),
    ).toEqual({ ordered: 1400, cancelled: 40, notDispatched: 60, inTransit: 300, received: 998, damaged: 2 });
  });

  it('lists every facility any report names, once, sorted', () => {
    expect(
      facilityIdsOf({
        procurement: { pipeline: [line('o1', 'us-tx-02', {})], toComePerMonth: [] },
        pnl: { months: [month('us-tx-01', '2026-11', [])] },
      }),
    ).toEqual(['us-tx-01', 'us-tx-02']);
  });

  it('lists the flags newest month first, and explains those it knows', () => {
    const flags = reconciliationFlagsOf([
      month('us-tx-01', '2026-10', ['energy-estimated']),
      month('us-tx-01', '2026-11', ['payouts-without-fixing', 'energy-days-missing']),
      month('us-tx-02', '2026-11', []),
    ]);
    expect(flags.map((flag) => `${flag.month} ${flag.flag}`)).toEqual([
      '2026-11 energy-days-missing',
      '2026-11 payouts-without-fixing',
      '2026-10 energy-estimated',
    ]);
    expect(explainFlag('payouts-without-fixing')).toContain('price fixing');
    expect(explainFlag('pool-variance')).toBe('pool variance');
  });

  it('charts capacity, what the reserve leaves, load and peak, and names the series not published yet', () => {
    const facility: PowerFacility = {
      facilityId: 'us-tx-01',
      capacityKw: 3000,
      reserveKw: 100,
      pue: 1.05,
      loadKw: 22.05,
      itKw: 21,
      rigsOn: 10,
      utilisationPercent: 0.8,
      curtailedKw: null,
      forecastShortfallKw: null,
      series: [
        {
          start: '2026-11-29T13:00:00.000Z',
          capacityKw: null,
          loadKw: 0,
          peakLoadKw: 0,
          utilisationPercent: null,
          curtailedKw: null,
          forecastShortfallKw: null,
        },
        {
          start: '2026-11-29T14:00:00.000Z',
          capacityKw: 3000,
          loadKw: 22.05,
          peakLoadKw: 23,
          utilisationPercent: 0.8,
          curtailedKw: null,
          forecastShortfallKw: null,
        },
      ],
    };
    const chart = powerChartOf(facility, 'hour');
    expect(chart.labels).toEqual(['11-29 13:00', '11-29 14:00']);
    expect(chart.series.map((series) => [series.label, series.values])).toEqual([
      ['Capacity kW', [null, 3000]],
      ['Capacity less reserve kW', [null, 2900]],
      ['Load kW', [0, 22.05]],
      ['Peak load kW', [0, 23]],
    ]);
    expect(chart.unavailable).toEqual(['Curtailed kW', 'Forecast shortfall kW']);

    const withShortfall = powerChartOf(
      { ...facility, series: facility.series.map((point) => ({ ...point, forecastShortfallKw: 120 })) },
      'hour',
    );
    expect(withShortfall.series.map((series) => series.label)).toContain('Forecast shortfall kW');
    expect(withShortfall.unavailable).toEqual(['Curtailed kW']);
  });

  it('builds test ids and report URLs from the data, the facility escaped', () => {
    expect(testId('fleet-model', 'asicminer-8-nano', 'rigs')).toBe('fleet-model-asicminer-8-nano-rigs');
    expect(testId('fleet-hashrate', 'TH/s')).toBe('fleet-hashrate-th-s');
    expect(reportUrl('fleet', undefined)).toBe('reports/fleet');
    expect(reportUrl('power', 'us tx/01')).toBe('reports/power?facilityId=us%20tx%2F01');
  });
});
