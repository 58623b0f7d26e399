import type { EventEnvelope } from '@fleet/contracts';
import { envelopeOf, FACILITY, foldInMemory, idOf, NANO } from '../../../test/report-events';
import {
  procurementOrderFold,
  type ProcurementOrderDoc,
} from '../../procurement-report/read-model/procurement-order.fold';
import { powerCurtailmentFold, type PowerCurtailmentDoc } from './power-curtailment.fold';
import { powerFacilityFold, type PowerFacilityDoc } from './power-facility.fold';
import { arrivalsOf, capacityForecastOf } from './power-forecast';
import { powerLoadHourFold, type PowerLoadHourDoc } from './power-load-hour.fold';
import { capacityWattsAt, facilityPowerReportOf, type PowerOutlook } from './power-report';

/** No curtailment, no capacity forecast. */
const QUIET: PowerOutlook = { curtailment: undefined, forecast: null };

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
    const report = facilityPowerReportOf(
      FACILITY,
      facility,
      hours,
      {
        from: new Date('2026-11-01T08:00:00Z'),
        to: now,
        interval: 'hour',
        now,
      },
      QUIET,
    );
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
      curtailedKw: 0,
      forecastShortfallKw: null,
      forecastShortfallDate: null,
    });
  });

  it('sums a day from its hours', () => {
    if (!facility) throw new Error('no facility document');
    const now = new Date('2026-11-03T00:00:00Z');
    const report = facilityPowerReportOf(
      FACILITY,
      facility,
      hours,
      {
        from: new Date('2026-11-01T00:00:00Z'),
        to: now,
        interval: 'day',
        now,
      },
      QUIET,
    );
    expect(report.series.map((bucket) => bucket.peakLoadKw)).toEqual([2866.5, 2425.5]);
  });
});

/** IT watts of `count` rigs of 2,100 W at the meter (PUE 1.05), in kW. */
const kwAtMeter = (count: number) => (count * 2100 * 1050) / 1_000_000;
const CURTAILMENT = idOf(1, 7);
const NEXT_CURTAILMENT = idOf(2, 7);

describe('the power report with curtailments', () => {
  const shed = envelopeOf(
    'RigsCurtailed',
    {
      facilityId: FACILITY,
      curtailmentId: CURTAILMENT,
      part: 1,
      parts: 1,
      targetLoadWatts: 1_800_000,
      rigs: rigs(200, 0),
    },
    { occurredAt: '2026-11-01T10:20:00Z' },
  );
  const ended = envelopeOf(
    'CurtailmentEnded',
    {
      facilityId: FACILITY,
      curtailmentId: CURTAILMENT,
      part: 1,
      parts: 1,
      ending: 'scheduled',
      restored: rigs(150, 0),
      notRestored: rigs(30, 150).map((rig) => ({ rigId: rig.rigId, reason: 'not-installed' })),
      handedOverTo: NEXT_CURTAILMENT,
      handedOver: rigs(20, 180),
    },
    { occurredAt: '2026-11-01T11:30:00Z' },
  );
  const curtailed = [scheduled, allocated(1000, 0, '2026-11-01T09:10:00Z'), shed, ended];
  const facility = foldInMemory<PowerFacilityDoc>(powerFacilityFold, curtailed)[0]?.data;
  const curtailment = foldInMemory<PowerCurtailmentDoc>(powerCurtailmentFold, curtailed)[0]?.data;
  const hours = foldInMemory<PowerLoadHourDoc>(powerLoadHourFold, curtailed).map((doc) => doc.data);

  it('takes shed rigs off the allocated load and puts restored ones back', () => {
    expect(facility).toMatchObject({ itWatts: 950 * 2100, rigsOn: 950 });
  });

  it('keeps one change point an hour: the last, which the report reads at the end of an hour or a day', () => {
    const again = envelopeOf(
      'RigsCurtailed',
      { ...(shed.data as Record<string, unknown>), curtailmentId: NEXT_CURTAILMENT, rigs: rigs(100, 300) },
      { occurredAt: '2026-11-01T11:45:00Z' },
    );
    const doc = foldInMemory<PowerCurtailmentDoc>(powerCurtailmentFold, [...curtailed, again])[0]?.data;
    expect(doc?.changes).toEqual([
      { at: '2026-11-01T10:20:00.000Z', itWatts: 200 * 2100 },
      { at: '2026-11-01T11:45:00.000Z', itWatts: 120 * 2100 },
    ]);
  });

  it('keeps what the curtailments hold off: restored and not restored rigs leave, handed over ones stay', () => {
    expect(curtailment?.itWatts).toBe(20 * 2100);
    expect(Object.keys(curtailment?.rigs ?? {}).sort()).toEqual(
      rigs(20, 180)
        .map((rig) => rig.rigId)
        .sort(),
    );
    expect(curtailment?.changes).toEqual([
      { at: '2026-11-01T10:20:00.000Z', itWatts: 200 * 2100 },
      { at: '2026-11-01T11:30:00.000Z', itWatts: 20 * 2100 },
    ]);
  });

  it('reports the curtailed kW now and at the end of each hour, next to the load', () => {
    if (!facility) throw new Error('no facility document');
    const now = new Date('2026-11-01T13:00:00Z');
    const report = facilityPowerReportOf(
      FACILITY,
      facility,
      hours,
      { from: new Date('2026-11-01T09:00:00Z'), to: now, interval: 'hour', now },
      { curtailment, forecast: null },
    );
    expect(
      report.series.map((bucket) => [bucket.start.slice(11, 16), bucket.loadKw, bucket.curtailedKw]),
    ).toEqual([
      ['09:00', kwAtMeter(1000), 0],
      ['10:00', kwAtMeter(800), kwAtMeter(200)],
      ['11:00', kwAtMeter(950), kwAtMeter(20)],
      ['12:00', kwAtMeter(950), kwAtMeter(20)],
    ]);
    expect(report).toMatchObject({ loadKw: kwAtMeter(950), curtailedKw: kwAtMeter(20), rigsOn: 950 });
  });
});

describe("the power report's capacity forecast", () => {
  const ORDER = idOf(1, 8);
  const SHIPMENT = idOf(2, 8);
  const procurement: EventEnvelope[] = [
    envelopeOf('PurchaseOrderPlaced', {
      orderId: ORDER,
      facilityId: FACILITY,
      vendor: 'ASICminer',
      lines: [{ model: NANO, quantity: 500, unitPrice: { amount: '1000', currency: 'USD' } }],
      expectedDelivery: '2026-12-15',
    }),
    envelopeOf('ShipmentDispatched', {
      shipmentId: SHIPMENT,
      orderId: ORDER,
      facilityId: FACILITY,
      lines: [{ model: NANO, quantity: 200 }],
      eta: '2026-11-20',
    }),
    envelopeOf('ShipmentUnitsReceived', {
      shipmentId: SHIPMENT,
      orderId: ORDER,
      facilityId: FACILITY,
      receiptId: idOf(3, 8),
      part: 1,
      parts: 1,
      units: Array.from({ length: 50 }, (_, index) => ({ serialNumber: `SN-${index}`, model: NANO })),
    }),
  ];
  const orders = foldInMemory<ProcurementOrderDoc>(procurementOrderFold, procurement);
  const facility = foldInMemory<PowerFacilityDoc>(powerFacilityFold, history)[0]?.data;
  const now = new Date('2026-11-01T14:00:00Z');

  it('expects the units in transit by their ETA and the rest of the order by its expected delivery', () => {
    expect(arrivalsOf(orders)).toEqual([
      { date: '2026-11-20', orderId: ORDER, shipmentId: SHIPMENT, model: NANO, units: 150, unitWatts: 2100 },
      { date: '2026-12-15', orderId: ORDER, shipmentId: null, model: NANO, units: 300, unitWatts: 2100 },
    ]);
  });

  it('reports the shortfall ahead: the first date what has arrived exceeds capacity less reserve, and per day', () => {
    if (!facility) throw new Error('no facility document');
    const to = new Date('2026-12-17T00:00:00Z');
    const forecast = capacityForecastOf(facility, arrivalsOf(orders), now, to);
    const report = facilityPowerReportOf(
      FACILITY,
      facility,
      [],
      { from: new Date('2026-10-31T00:00:00Z'), to, interval: 'day', now },
      { curtailment: undefined, forecast },
    );
    // Allocated 1,100 rigs, then 150 + 300 arriving: 1,550 × 2,100 W × 1.05 against 3 MW.
    const shortfallKw = kwAtMeter(1550) - 3000;
    expect(report.forecastShortfallKw).toBeCloseTo(shortfallKw, 6);
    expect(report.forecastShortfallDate).toBe('2026-12-15');
    const byDay = new Map(
      report.series.map((bucket) => [bucket.start.slice(0, 10), bucket.forecastShortfallKw]),
    );
    expect(byDay.get('2026-10-31')).toBeNull();
    expect(byDay.get('2026-11-01')).toBe(0);
    expect(byDay.get('2026-11-20')).toBe(0);
    expect(byDay.get('2026-12-14')).toBe(0);
    expect(byDay.get('2026-12-15')).toBeCloseTo(shortfallKw, 6);
    expect(byDay.get('2026-12-16')).toBeCloseTo(shortfallKw, 6);
  });

  it('has no shortfall once the capacity grows, and no forecast without any capacity scheduled', () => {
    if (!facility) throw new Error('no facility document');
    const forecast = capacityForecastOf(facility, arrivalsOf(orders), now, now);
    expect(forecast?.points.find((point) => point.date === '2027-06-01')?.shortfallMilliwatts).toBe(0);
    expect(capacityForecastOf({ ...facility, schedule: [] }, arrivalsOf(orders), now, now)).toBeNull();
  });
});
