import { forecastCapacity, type Arrival, type FacilityCapacity } from './capacity-forecast';

const NANO_WATTS = 2100;
// The seed: 3 MW from October, 30 MW from June next year, PUE 1.05, 1,300 Nanos powered.
const seed: FacilityCapacity = {
  schedule: [
    { effectiveFromMs: Date.parse('2026-10-01T00:00:00Z'), capacityWatts: 3_000_000 },
    { effectiveFromMs: Date.parse('2027-06-01T00:00:00Z'), capacityWatts: 30_000_000 },
  ],
  reserveWatts: 0,
  pueMilli: 1050,
  allocatedItWatts: 1300 * NANO_WATTS,
};
const order = (date: string, units: number, shipmentId: string | null = null): Arrival => ({
  date,
  orderId: 'order-1',
  shipmentId,
  model: 'asicminer-8-nano',
  units,
  unitWatts: NANO_WATTS,
});
const kw = (milliwatts: number) => milliwatts / 1_000_000;

describe('the capacity forecast', () => {
  it('fits 1,300 rigs on 3 MW', () => {
    const forecast = forecastCapacity(seed, [], '2026-11-29', '2027-12-31');
    expect(forecast.firstShortfall).toBeNull();
    expect(
      forecast.points.map((point) => [point.date, kw(point.limitMilliwatts), kw(point.committedMilliwatts)]),
    ).toEqual([
      ['2026-11-29', 3000, 2866.5],
      ['2027-06-01', 30000, 2866.5],
    ]);
  });

  it('shows the shortfall of 12,000 more arriving before the 30 MW step, until the step', () => {
    const forecast = forecastCapacity(seed, [order('2027-03-01', 12_000)], '2026-11-29', '2027-12-31');
    expect(
      forecast.points.map((point) => [
        point.date,
        kw(point.incomingMilliwatts),
        kw(point.shortfallMilliwatts),
      ]),
    ).toEqual([
      ['2026-11-29', 0, 0],
      ['2027-03-01', 26460, 26326.5],
      ['2027-06-01', 26460, 0],
    ]);
    expect(forecast.firstShortfall).toEqual({ date: '2027-03-01', causes: [order('2027-03-01', 12_000)] });
  });

  it('names the arrivals up to the first shortfall, counts overdue ones from today and ignores those after `until`', () => {
    const arrivals = [
      order('2026-11-01', 50, 'late'),
      order('2027-01-15', 100, 'ship-1'),
      order('2027-02-01', 20, 'ship-2'),
    ];
    const forecast = forecastCapacity(
      seed,
      [...arrivals, order('2028-01-01', 5)],
      '2026-11-29',
      '2027-12-31',
    );
    // 2,866.5 kW + 50 × 2.205 = 2,976.75 fits; + 100 × 2.205 does not.
    expect(forecast.firstShortfall).toEqual({
      date: '2027-01-15',
      causes: [{ ...arrivals[0], date: '2026-11-29' }, arrivals[1]],
    });
    expect(forecast.points.at(-1)?.date).toBe('2027-06-01');
  });

  it('keeps the reserve free and counts a step from the first whole day it is in force', () => {
    const reserved = { ...seed, reserveWatts: 200_000 };
    const forecast = forecastCapacity(reserved, [], '2026-11-29', '2027-12-31');
    expect(kw(forecast.points[0].shortfallMilliwatts)).toBe(66.5);
    const midday = {
      ...seed,
      schedule: [...seed.schedule, { effectiveFromMs: Date.parse('2027-07-01T12:00:00Z'), capacityWatts: 0 }],
    };
    expect(forecastCapacity(midday, [], '2026-11-29', '2027-12-31').points.slice(-2)).toMatchObject([
      { date: '2027-07-01', capacityWatts: 0 },
      { date: '2027-07-02', capacityWatts: 0 },
    ]);
  });
});
