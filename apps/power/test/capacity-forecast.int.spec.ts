import type { ProcurementEvent } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { EVENT_STORE } from '@fleet/service-kit';
import { CapacityForecastView } from '../src/forecast/read-model/forecast.views';
import { startPower, waitFor, type PowerApp } from './power-app';
import { installedRigs, NANO, seedPowerRigs } from './power-fixtures';
import { procurementEnvelope, publishProcurementEvent } from './procurement-fixtures';

const orderId = '0f000000-0000-4000-8000-000000000001';
const shipmentId = '0f000000-0000-4000-8000-0000000000a1';

describe.each(TEST_DRIVERS)('the capacity forecast on %s', (driver) => {
  let power: PowerApp;
  const facilityId = 'fc-seed';
  let version = 0;

  beforeAll(async () => {
    power = await startPower(driver);
    const capacity = await power.call('PUT', `/facilities/${facilityId}/capacity`, {
      as: 'admin',
      body: {
        schedule: [
          { effectiveFrom: '2026-10-01', capacityKw: 3000 },
          { effectiveFrom: '2027-06-01', capacityKw: 30000 },
        ],
        pue: 1.05,
      },
    });
    expect(capacity.statusCode).toBe(200);
    await seedPowerRigs(power.app.get<EventStore>(EVENT_STORE), installedRigs(facilityId, 1300, { tag: 61 }));
    const on = await power.call('POST', `/facilities/${facilityId}/power-on`, { body: { all: true } });
    expect(on.json()).toMatchObject({ powered: 1300 });
  });
  afterAll(() => power?.close());

  const forecast = async (until = '2027-12-31') => {
    const response = await power.call('GET', `/facilities/${facilityId}/capacity-forecast?until=${until}`, {
      as: 'procurement',
    });
    expect(response.statusCode).toBe(200);
    return CapacityForecastView.parse(response.json());
  };
  /** Publishes the order's next event (its stream's next version) and waits for the forecast to show it. */
  const publish = (event: ProcurementEvent, streamVersion = ++version) =>
    publishProcurementEvent(power, procurementEnvelope(event, streamVersion));
  const until = (what: string, shown: (view: CapacityForecastView) => boolean) =>
    waitFor(async () => {
      const view = await forecast();
      return shown(view) ? view : undefined;
    }, what);
  const shortfalls = (view: CapacityForecastView) =>
    view.timeline.filter((point) => point.date > view.from).map((point) => [point.date, point.shortfallKw]);

  it('fits 1,300 rigs on 3 MW', async () => {
    const view = await forecast();
    expect(view.firstShortfall).toBeNull();
    expect(view.timeline[0]).toMatchObject({
      capacityKw: 3000,
      committedKw: 2866.5,
      incomingKw: 0,
      shortfallKw: 0,
    });
    expect(view.timeline.at(-1)).toMatchObject({ date: '2027-06-01', capacityKw: 30000 });
  });

  it('shows the shortfall of 12,000 more arriving before the 30 MW step, until the step, and the order causing it', async () => {
    await publish({
      type: 'PurchaseOrderPlaced',
      data: {
        orderId,
        facilityId,
        vendor: 'ASICminer',
        lines: [{ model: NANO, quantity: 12_000, unitPrice: { amount: '1500', currency: 'USD' } }],
        expectedDelivery: '2027-03-01',
      },
    });
    const view = await until('the order', (shown) => shown.firstShortfall !== null);
    expect(shortfalls(view)).toEqual([
      ['2027-03-01', 26326.5],
      ['2027-06-01', 0],
    ]);
    expect(view.firstShortfall).toEqual({
      date: '2027-03-01',
      shortfallKw: 26326.5,
      causes: [
        { orderId, shipmentId: null, model: NANO, units: 12_000, expectedArrival: '2027-03-01', kw: 26460 },
      ],
    });
  });

  it('moves a shipment to its latest ETA, whichever of its dispatch and delay comes first', async () => {
    // The delay is the order's fourth event, the dispatch its third: delivered the wrong way round.
    await publish(
      {
        type: 'ShipmentDelayed',
        data: {
          shipmentId,
          orderId,
          facilityId,
          previousEta: '2027-02-01',
          eta: '2027-07-01',
          reason: 'port strike',
        },
      },
      3,
    );
    await publish(
      {
        type: 'ShipmentDispatched',
        data: {
          shipmentId,
          orderId,
          facilityId,
          lines: [{ model: NANO, quantity: 4000 }],
          eta: '2027-02-01',
        },
      },
      2,
    );
    version = 3;
    // 8,000 still to dispatch by March: 2,866.5 + 17,640 kW on 3 MW; the 4,000 arrive after the step.
    const view = await until('the shipment', (shown) => shown.firstShortfall?.shortfallKw === 17506.5);
    expect(shortfalls(view)).toEqual([
      ['2027-03-01', 17506.5],
      ['2027-06-01', 0],
      ['2027-07-01', 0],
    ]);
    expect(view.timeline.at(-1)).toMatchObject({ incomingKw: 26460 });
  });

  it('takes received and damaged units out of transit, and cancelled ones out of the order', async () => {
    const units = (count: number, prefix: string) =>
      Array.from({ length: count }, (_, n) => ({ serialNumber: `${prefix}-${n}`, model: NANO }));
    await publish({
      type: 'ShipmentUnitsReceived',
      data: {
        shipmentId,
        orderId,
        facilityId,
        receiptId: shipmentId,
        part: 1,
        parts: 1,
        units: units(1000, 'FC'),
      },
    });
    await publish({
      type: 'ShipmentUnitsDamaged',
      data: {
        shipmentId,
        orderId,
        facilityId,
        receiptId: shipmentId,
        part: 1,
        parts: 1,
        units: units(10, 'FD').map((unit) => ({ ...unit, reason: 'cracked hashboard' })),
      },
    });
    await publish({
      type: 'PurchaseOrderCancelled',
      data: { orderId, facilityId, reason: 'budget', cancelledLines: [{ model: NANO, quantity: 8000 }] },
    });
    // 4,000 dispatched − 1,000 received − 10 damaged: 2,990 in transit × 2.205 kW.
    const view = await until(
      'the receipt and the cancellation',
      (shown) => shown.firstShortfall === null && shown.timeline.at(-1)?.incomingKw === 6592.95,
    );
    expect(view.timeline.map((point) => point.date)).toEqual([view.from, '2027-06-01', '2027-07-01']);
  });

  it('answers 404 for a facility without a power record, 400 for a bad until', async () => {
    expect((await power.call('GET', '/facilities/fc-nowhere/capacity-forecast')).statusCode).toBe(404);
    for (const until of ['2027-13-01', '2020-01-01', '2100-01-01'])
      expect(
        (await power.call('GET', `/facilities/${facilityId}/capacity-forecast?until=${until}`)).statusCode,
      ).toBe(400);
  });
});
