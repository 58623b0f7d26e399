import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import type { TestDriver } from '@fleet/event-sourcing/testing';
import { envelopeOf, FACILITY, idOf, NANO, rigInstalled, rigPoweredOn, rigRegistered } from './report-events';
import { FleetReportView } from '../src/fleet-report/read-model/fleet-report.views';
import { PnlReportView } from '../src/pnl-report/read-model/pnl-report.views';
import { PowerReportView } from '../src/power-report/read-model/power-report.views';
import { ProcurementReportView } from '../src/procurement-report/read-model/procurement-report.views';
import { PROBLEM_JSON, startReporting, waitFor, type ReportingApp } from './reporting-app';

interface SourceStatus {
  consumer: string;
  stream: string;
  eventsFolded: number;
  position: string | null;
  lag: number | null;
}

async function foldedBy(app: ReportingApp, consumer: string, events: number): Promise<SourceStatus> {
  return waitFor(async () => {
    const status = (await app.call('GET', '/reports/status')).json<{ sources: SourceStatus[] }>();
    const source = status.sources.find((candidate) => candidate.consumer === consumer);
    return source && source.eventsFolded >= events ? source : undefined;
  }, `${consumer} to fold ${events} events`);
}

const ORDER = idOf(1, 7);
const entry = { date: '2026-11-01', memo: 'test', lines: [] };

describe.each<TestDriver>(['sqlite', 'postgres'])('reporting on %s', (driver) => {
  let app: ReportingApp;

  beforeAll(async () => {
    app = await startReporting(driver);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('folds each stream once per event, even when JetStream delivers an event twice', async () => {
    const inventory = [rigRegistered(1), rigRegistered(2), rigInstalled(1), rigInstalled(2), rigPoweredOn(1)];
    for (const envelope of inventory) await app.publish('inventory', envelope);
    // The same event stored a second time under another message id: delivered again, folded once.
    const repeated = inventory[4];
    if (!repeated) throw new Error('no event to repeat');
    await app.publish('inventory', repeated, randomUUID());
    const source = await foldedBy(app, 'reporting-inventory', 5);

    const fleet = (await app.call('GET', `/reports/fleet?facilityId=${FACILITY}`)).json<
      Record<string, unknown>
    >();
    expect(fleet).toMatchObject({ rigs: 2, installed: 2, online: 1, hashrateOnline: { 'TH/s': '44' } });
    // The repeat has been delivered, handled (skipped by the inbox) and acknowledged: still 5 folded.
    const jsm = await jetstreamManager(app.nats);
    await waitFor(async () => {
      const info = await jsm.consumers.info(app.names.streamOf('inventory'), 'reporting-inventory');
      return info.delivered.stream_seq === 6 && info.num_ack_pending === 0 && info.num_pending === 0
        ? info
        : undefined;
    }, 'the repeated event to be acknowledged');
    expect((await foldedBy(app, 'reporting-inventory', 5)).eventsFolded).toBe(5);
    expect(source.stream).toContain('INVENTORY');
  });

  it('serves every report as JSON and as CSV with the same figures', async () => {
    await app.publish(
      'procurement',
      envelopeOf('PurchaseOrderPlaced', {
        orderId: ORDER,
        facilityId: FACILITY,
        vendor: 'ASICminer',
        lines: [{ model: NANO, quantity: 12000, unitPrice: { amount: '1000', currency: 'USD' } }],
        expectedDelivery: '2027-03-01',
      }),
    );
    await app.publish(
      'power',
      envelopeOf('FacilityCapacityScheduled', {
        facilityId: FACILITY,
        schedule: [{ effectiveFrom: '2026-10-01', capacityWatts: 3_000_000 }],
        reserveWatts: 0,
        pueMilli: 1050,
      }),
    );
    await app.publish(
      'power',
      envelopeOf('PowerAllocated', {
        facilityId: FACILITY,
        requestId: idOf(5, 7),
        part: 1,
        parts: 1,
        rigs: [{ rigId: idOf(1), rack: 'A01', slot: 2, model: NANO, itWatts: 2100 }],
      }),
    );
    await app.publish(
      'revenue',
      envelopeOf('PayoutReceived', {
        facilityId: FACILITY,
        period: '2026-11',
        pool: 'F2Pool',
        txid: 'tx1',
        coin: 'BTC',
        amount: '150000000',
        paidAt: '2026-11-02T00:00:00Z',
        periodStart: '2026-11-01T00:00:00Z',
        periodEnd: '2026-11-02T00:00:00Z',
        day: '2026-11-01',
        fixingUsd: '90000',
        usd: '135000.00',
        entry,
      }),
    );
    // A second rig powered, then shed by a curtailment: off the load, curtailed.
    const shedRig = { rigId: idOf(2), rack: 'A01', slot: 3, model: NANO, itWatts: 2100 };
    await app.publish(
      'power',
      envelopeOf('PowerAllocated', {
        facilityId: FACILITY,
        requestId: idOf(6, 7),
        part: 1,
        parts: 1,
        rigs: [shedRig],
      }),
    );
    await app.publish(
      'power',
      envelopeOf('RigsCurtailed', {
        facilityId: FACILITY,
        curtailmentId: idOf(8, 7),
        part: 1,
        parts: 1,
        targetLoadWatts: 2205,
        rigs: [shedRig],
      }),
    );
    // An event type no report knows (a context's newer event): passed over, counted.
    await app.publish('power', envelopeOf('CurtailmentStarted', { facilityId: FACILITY }));
    await foldedBy(app, 'reporting-procurement', 1);
    await foldedBy(app, 'reporting-power', 5);
    await foldedBy(app, 'reporting-revenue', 1);

    const procurement = await app.call('GET', '/reports/procurement');
    expect(procurement.json()).toMatchObject({
      pipeline: [{ orderId: ORDER, model: NANO, ordered: 12000, notDispatched: 12000 }],
      toComePerMonth: [{ month: '2027-03', model: NANO, units: 12000 }],
    });
    const procurementCsv = await app.call('GET', '/reports/procurement?format=csv');
    expect(procurementCsv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(procurementCsv.body.split('\r\n')[0]).toBe(
      'section,orderId,facilityId,vendor,status,model,ordered,cancelled,notDispatched,inTransit,received,damaged,nextEta,delays,month,unitsToCome',
    );
    expect(procurementCsv.body).toContain(
      `pipeline,${ORDER},${FACILITY},ASICminer,open,${NANO},12000,0,12000,0,0,0,,0,,`,
    );
    expect(procurementCsv.body).toContain(`to-come,,,,,${NANO},,,,,,,,,2027-03,12000`);

    const power = (await app.call('GET', `/reports/power?facilityId=${FACILITY}`)).json<{
      facilities: Record<string, unknown>[];
    }>();
    expect(power.facilities).toEqual([
      expect.objectContaining({
        facilityId: FACILITY,
        capacityKw: 3000,
        itKw: 2.1,
        loadKw: 2.205,
        rigsOn: 1,
        curtailedKw: 2.205,
        // 12,000 rigs of 2,100 W arriving by the order's expected delivery, at PUE 1.05, on top of
        // the 2.205 kW allocated: 26,462.205 kW against 3,000.
        forecastShortfallKw: 23462.205,
      }),
    ]);
    const powerCsv = await app.call('GET', `/reports/power?facilityId=${FACILITY}`, {
      headers: { accept: 'text/csv' },
    });
    expect(powerCsv.body).toContain(`${FACILITY},now,3000,2.205,2.205,0.1,1,2.205,23462.205,`);

    const pnl = (await app.call('GET', '/reports/pnl?month=2026-11', { as: 'finance' })).json<{
      months: unknown[];
    }>();
    expect(pnl.months).toEqual([
      expect.objectContaining({
        facilityId: FACILITY,
        month: '2026-11',
        revenueUsd: '135000.00',
        marginUsd: '135000.00',
        closed: false,
      }),
    ]);
    const pnlCsv = await app.call('GET', '/reports/pnl?format=csv', { as: 'finance' });
    expect(pnlCsv.body).toContain(`${FACILITY},2026-11,BTC,1.50000000,135000.00,,,,,false`);

    // Each answer is what its OpenAPI schema says.
    for (const [url, view] of [
      ['/reports/fleet', FleetReportView],
      ['/reports/procurement', ProcurementReportView],
      ['/reports/power', PowerReportView],
      ['/reports/pnl', PnlReportView],
    ] as const) {
      const parsed = view.safeParse((await app.call('GET', url, { as: 'admin' })).json());
      expect([url, parsed.success ? 'matches' : parsed.error.message]).toEqual([url, 'matches']);
    }

    const fleetCsv = await app.call('GET', '/reports/fleet?format=csv', { as: 'operations' });
    expect(fleetCsv.body.split('\r\n').slice(0, 3)).toEqual([
      'section,key,figure,value,unit',
      'total,rigs,,2,',
      'total,installed,,2,',
    ]);
    expect(fleetCsv.body).toContain('total,hashrate-online,,44,TH/s');
  });

  it('refuses readers without a key or the role, and a bad query, with problem+json', async () => {
    expect((await app.call('GET', '/reports/fleet', { as: null })).statusCode).toBe(401);
    const forbidden = await app.call('GET', '/reports/pnl', { as: 'procurement' });
    expect(forbidden.statusCode).toBe(403);
    for (const url of [
      '/reports/fleet?facilityId=no%20spaces',
      '/reports/pnl?month=2026-13',
      '/reports/power?interval=week',
      '/reports/power?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z',
      '/reports/power?from=2000-01-01T00:00:00Z&interval=hour',
      '/reports/procurement?format=xml',
      '/reports/fleet?unknown=1',
    ]) {
      const response = await app.call('GET', url);
      expect([url, response.statusCode, response.headers['content-type']]).toEqual([url, 400, PROBLEM_JSON]);
    }
  });
});
