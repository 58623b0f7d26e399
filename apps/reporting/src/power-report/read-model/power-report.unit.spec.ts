import { envelopeOf, FACILITY, foldInMemory, idOf, NANO } from '../../../test/report-events';
import { powerFacilityFold, type PowerFacilityDoc } from './power-facility.fold';
import { powerLoadHourFold, type PowerLoadHourDoc } from './power-load-hour.fold';
import { capacityWattsAt, facilityPowerReportOf } from './power-report';

const scheduled = envelopeOf(
  'FacilityCapacityScheduled',
  {
    facilityId: FACILITY,
    schedule: [
      { effectiveFrom: '2026-10-01', capacityWatts: 3_000_000 },
      { effectiveFrom: '2027-06-01', capacityWatts: 30_000_000 },
    ],
    reserveWatts: 0,
    pueMilli: 1050,
  },
  { occurredAt: '2026-11-01T08:00:00Z' },
);
const rigs = (count: number, first: number) =>
  Array.from({ length: count }, (_, index) => ({
    rigId: idOf(first + index),
    rack: 'A01',
    slot: index + 1,
    model: NANO,
    itWatts: 2100,
  }));
const request = { facilityId: FACILITY, requestId: idOf(999), part: 1, parts: 1 };
const allocated = (count: number, first: number, at: string) =>
  envelopeOf('PowerAllocated', { ...request, rigs: rigs(count, first) }, { occurredAt: at });
const released = (count: number, first: number, at: string) =>
  envelopeOf(
    'PowerReleased',
    { ...request, reason: 'requested', rigs: rigs(count, first) },
    { occurredAt: at },
  );

const history = [
  scheduled,
  allocated(1000, 0, '2026-11-01T09:10:00Z'),
  allocated(300, 1000, '2026-11-01T09:40:00Z'),
  released(300, 1000, '2026-11-01T09:50:00Z'),
  allocated(100, 2000, '2026-11-01T12:05:00Z'),
];

describe('the power report folds', () => {
  const facility = foldInMemory<PowerFacilityDoc>(powerFacilityFold, history)[0]?.data;
  const hours = foldInMemory<PowerLoadHourDoc>(powerLoadHourFold, history).map((doc) => doc.data);

  it('keeps the contract and the allocated load now', () => {
    expect(facility).toMatchObject({ itWatts: 1100 * 2100, rigsOn: 1100, pueMilli: 1050 });
  });

  it('answers the capacity in force by date', () => {
    if (!facility) throw new Error('no facility document');
    expect(capacityWattsAt(facility, new Date('2026-09-30T23:59:59Z'))).toBeNull();
    expect(capacityWattsAt(facility, new Date('2026-11-01T00:00:00Z'))).toBe(3_000_000);
    expect(capacityWattsAt(facility, new Date('2027-06-01T00:00:00Z'))).toBe(30_000_000);
  });

  it('gives per hour the load at its end and its peak, carried over quiet hours, against capacity', () => {
    if (!facility) throw new Error('no facility document');
    const now = new Date('2026-11-01T14:00:00Z');
    const report = facilityPowerReportOf(FACILITY, facility, hours, {
      from: new Date('2026-11-01T08:00:00Z'),
      to: now,
      interval: 'hour',
      now,
    });
    const kwAtMeter = (rigCount: number) => (rigCount * 2100 * 1050) / 1000 / 1000;
    expect(
      report.series.map((bucket) => [bucket.start.slice(11, 16), bucket.loadKw, bucket.peakLoadKw]),
    ).toEqual([
      ['08:00', 0, 0],
      ['09:00', kwAtMeter(1000), kwAtMeter(1300)],
      ['10:00', kwAtMeter(1000), kwAtMeter(1000)],
      ['11:00', kwAtMeter(1000), kwAtMeter(1000)],
      ['12:00', kwAtMeter(1100), kwAtMeter(1100)],
      ['13:00', kwAtMeter(1100), kwAtMeter(1100)],
    ]);
    expect(report.series[1]?.utilisationPercent).toBe(95.6);
    expect(report).toMatchObject({
      capacityKw: 3000,
      loadKw: kwAtMeter(1100),
      curtailedKw: null,
      forecastShortfallKw: null,
    });
  });

  it('sums a day from its hours', () => {
    if (!facility) throw new Error('no facility document');
    const now = new Date('2026-11-03T00:00:00Z');
    const report = facilityPowerReportOf(FACILITY, facility, hours, {
      from: new Date('2026-11-01T00:00:00Z'),
      to: now,
      interval: 'day',
      now,
    });
    expect(report.series.map((bucket) => bucket.peakLoadKw)).toEqual([2866.5, 2425.5]);
  });
});
