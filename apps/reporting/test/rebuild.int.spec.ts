import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import type { EventEnvelope, EventPage } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import type { TestDriver } from '@fleet/event-sourcing/testing';
import { EVENT_STORE } from '@fleet/service-kit';
import { EventFeedClient } from '../src/rebuild/event-feed.client';
import { RebuildRunner } from '../src/rebuild/rebuild-runner';
import { ABANDONED_AFTER_MS, ReportRebuild } from '../src/rebuild/report-rebuild';
import { envelopeOf, FACILITY, idOf, NANO, rigInstalled, rigPoweredOn, rigRegistered } from './report-events';
import { startReporting, waitFor, type ReportingApp } from './reporting-app';

const REPORTS = [
  '/reports/fleet',
  '/reports/procurement',
  '/reports/power?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z',
  '/reports/pnl',
];

async function reportsOf(app: ReportingApp): Promise<unknown[]> {
  return Promise.all(REPORTS.map(async (url) => (await app.call('GET', url, { as: 'admin' })).json()));
}

interface Status {
  activeGeneration: number;
  sources: { consumer: string; eventsFolded: number; lag: number | null }[];
}

async function statusOf(app: ReportingApp): Promise<Status> {
  return (await app.call('GET', '/reports/status')).json<Status>();
}

async function allFolded(app: ReportingApp, counts: Record<string, number>): Promise<Status> {
  return waitFor(
    async () => {
      const status = await statusOf(app);
      const done = Object.entries(counts).every(
        ([consumer, events]) =>
          status.sources.find((source) => source.consumer === consumer)?.eventsFolded === events,
      );
      return done ? status : undefined;
    },
    `the consumers to fold ${JSON.stringify(counts)}`,
  );
}

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 1, 9, minute)).toISOString();
const request = { facilityId: FACILITY, requestId: idOf(900), part: 1, parts: 1 };
const allocated = (rig: number, minute: number): EventEnvelope =>
  envelopeOf(
    'PowerAllocated',
    { ...request, rigs: [{ rigId: idOf(rig), rack: 'A01', slot: rig, model: NANO, itWatts: 2100 }] },
    { occurredAt: at(minute) },
  );

/**
 * A history across every source: 30 rigs, an order, capacity, allocations and a curtailment, a month
 * of revenue.
 */
function history(): {
  context: 'inventory' | 'procurement' | 'power' | 'revenue';
  envelope: EventEnvelope;
}[] {
  const events: { context: 'inventory' | 'procurement' | 'power' | 'revenue'; envelope: EventEnvelope }[] =
    [];
  for (let rig = 1; rig <= 30; rig += 1) {
    events.push({ context: 'inventory', envelope: rigRegistered(rig) });
    if (rig % 3 !== 0) events.push({ context: 'inventory', envelope: rigInstalled(rig) });
    if (rig % 3 === 1) events.push({ context: 'inventory', envelope: rigPoweredOn(rig) });
  }
  events.push({
    context: 'procurement',
    envelope: envelopeOf('PurchaseOrderPlaced', {
      orderId: idOf(1, 5),
      facilityId: FACILITY,
      vendor: 'ASICminer',
      lines: [{ model: NANO, quantity: 500, unitPrice: { amount: '1000', currency: 'USD' } }],
      expectedDelivery: '2027-01-15',
    }),
  });
  events.push({
    context: 'power',
    envelope: envelopeOf('FacilityCapacityScheduled', {
      facilityId: FACILITY,
      schedule: [{ effectiveFrom: '2026-10-01', capacityWatts: 3_000_000 }],
      reserveWatts: 0,
      pueMilli: 1050,
    }),
  });
  for (let rig = 1; rig <= 10; rig += 1) events.push({ context: 'power', envelope: allocated(rig, rig * 5) });
  // A curtailment sheds rigs 1 to 3; its end restores rig 1, not rig 2, and hands rig 3 over.
  const rig = (n: number) => ({ rigId: idOf(n), rack: 'A01', slot: n, model: NANO, itWatts: 2100 });
  const curtailment = { facilityId: FACILITY, curtailmentId: idOf(4, 5), part: 1, parts: 1 };
  events.push({
    context: 'power',
    envelope: envelopeOf(
      'RigsCurtailed',
      { ...curtailment, targetLoadWatts: 15_000, rigs: [rig(1), rig(2), rig(3)] },
      { occurredAt: at(52) },
    ),
  });
  events.push({
    context: 'power',
    envelope: envelopeOf(
      'CurtailmentEnded',
      {
        ...curtailment,
        ending: 'requested',
        restored: [rig(1)],
        notRestored: [{ rigId: idOf(2), reason: 'not-installed' }],
        handedOverTo: idOf(5, 5),
        handedOver: [rig(3)],
      },
      { occurredAt: at(57) },
    ),
  });
  events.push({
    context: 'revenue',
    envelope: envelopeOf('EnergyCostBooked', {
      facilityId: FACILITY,
      period: '2026-11',
      day: '2026-11-01',
      kwh: '500.5',
      usd: '22.52',
      basis: 'estimated',
      revision: 1,
      sourceEventId: idOf(3, 5),
      entry: { date: '2026-11-01', memo: 'energy', lines: [] },
    }),
  });
  return events;
}

function countsOf(events: ReturnType<typeof history>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { context } of events)
    counts[`reporting-${context}`] = (counts[`reporting-${context}`] ?? 0) + 1;
  return counts;
}

describe.each<TestDriver>(['sqlite', 'postgres'])('rebuilding the reports on %s', (driver) => {
  let app: ReportingApp;

  beforeAll(async () => {
    app = await startReporting(driver);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('gives the same figures as the live read models, swaps generations, and the consumers go on from it', async () => {
    const events = history();
    for (const { context, envelope } of events) await app.publish(context, envelope);
    await allFolded(app, countsOf(events));
    // Data that breaks its contract: the live consumer dead-letters it, the rebuild passes over it.
    await app.publish('power', envelopeOf('PowerAllocated', { facilityId: FACILITY, rigs: 'none' }));
    const jsm = await jetstreamManager(app.nats);
    await waitFor(async () => {
      const info = await jsm.consumers.info(app.names.streamOf('power'), 'reporting-power');
      return info.num_pending === 0 && info.num_ack_pending === 0 ? info : undefined;
    }, 'the poison message to be dead-lettered');
    const live = await reportsOf(app);

    const started = await app.call('POST', '/admin/rebuild', { as: 'admin' });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toEqual({ generation: 2, status: '/reports/status' });
    const result = await app.app.get(RebuildRunner).settled();
    expect(result?.eventsDone).toBe(events.length + 1);
    expect(await reportsOf(app)).toEqual(live);
    const status = await statusOf(app);
    expect(status.activeGeneration).toBe(2);

    // The live consumers fold the next event into the new generation, once.
    await app.publish('inventory', rigRegistered(31));
    const counts = countsOf(events);
    // The rebuild counts the poison message it read and passed over.
    await allFolded(app, {
      ...counts,
      'reporting-inventory': (counts['reporting-inventory'] ?? 0) + 1,
      'reporting-power': (counts['reporting-power'] ?? 0) + 1,
    });
    const fleet = (await app.call('GET', '/reports/fleet')).json<{ rigs: number }>();
    expect(fleet.rigs).toBe(31);
  });

  it('folds what the streams receive during a rebuild into the new generation once, live and caught up alike', async () => {
    const store = app.app.get<EventStore>(EVENT_STORE);
    const rebuild = new ReportRebuild(store, { nats: app.nats, names: app.names, feeds: {} });
    const before = (await app.call('GET', '/reports/fleet')).json<{ rigs: number; online: number }>();
    const status = await statusOf(app);
    const foldedBefore =
      status.sources.find((source) => source.consumer === 'reporting-inventory')?.eventsFolded ?? 0;
    const late = [rigRegistered(41), rigInstalled(41), rigPoweredOn(41)];
    await rebuild.run(await rebuild.claim(), {
      // After the rebuild read the streams: the live consumer folds these into the old generation,
      // the swap catches them up into the new one.
      beforeSwap: async () => {
        for (const envelope of late) await app.publish('inventory', envelope);
        const jsm = await jetstreamManager(app.nats);
        await waitFor(async () => {
          const info = await jsm.consumers.info(app.names.streamOf('inventory'), 'reporting-inventory');
          return info.num_pending === 0 && info.num_ack_pending === 0 ? info : undefined;
        }, 'the live consumer to fold the late events');
      },
    });
    // And two more after the swap: the live consumer folds them into the new generation, once.
    await app.publish('inventory', rigRegistered(42));
    await app.publish('inventory', rigInstalled(42));
    await allFolded(app, {
      'reporting-inventory': foldedBefore + late.length + 2,
    });
    const after = (await app.call('GET', '/reports/fleet')).json<{ rigs: number; online: number }>();
    expect([after.rigs, after.online]).toEqual([before.rigs + 2, before.online + 1]);
  });

  it('refuses a second rebuild while one runs (409), and reads a stream cut by retention from the service’s GET /events', async () => {
    const runner = app.app.get(RebuildRunner);
    const store = app.app.get<EventStore>(EVENT_STORE);
    const rebuild = new ReportRebuild(store, { nats: app.nats, names: app.names, feeds: {} });
    const claimed = await rebuild.claim();
    const refused = await app.call('POST', '/admin/rebuild', { as: 'admin' });
    expect([refused.statusCode, refused.json<{ code?: string }>().code]).toEqual([409, 'rebuild-running']);
    // Its instance died: after ABANDONED_AFTER_MS without progress another claim replaces it.
    const replacing = await rebuild.claim(new Date(Date.now() + ABANDONED_AFTER_MS + 1000));
    const generations = (await app.call('GET', '/reports/status')).json<{
      generations: { generation: number; status: string; error: string | null }[];
    }>().generations;
    expect(generations.find((row) => row.generation === claimed)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^abandoned: no progress since /),
    });

    // The inventory stream loses its first 40 messages; the feed holds them (served as inventory would).
    const jsm = await jetstreamManager(app.nats);
    const stream = app.names.streamOf('inventory');
    const removed: EventEnvelope[] = [];
    for (let seq = 1; seq <= 40; seq += 1) {
      const message = await jsm.streams.getMessage(stream, { seq });
      if (message) removed.push(message.json<EventEnvelope>());
    }
    await jsm.streams.purge(stream, { seq: 41 });
    const withoutFeed = await rebuild.run(replacing).then(
      () => 'rebuilt',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(withoutFeed).toContain('INVENTORY_URL');
    expect((await statusOf(app)).activeGeneration).toBe(3);

    const feed = await serveFeed(removed);
    try {
      const withFeed = new ReportRebuild(store, {
        nats: app.nats,
        names: app.names,
        feeds: { inventory: new EventFeedClient(feed.url, undefined) },
      });
      const before = await reportsOf(app);
      await withFeed.run(await withFeed.claim());
      expect(await reportsOf(app)).toEqual(before);
      expect((await statusOf(app)).activeGeneration).toBe(6);
    } finally {
      await new Promise((resolve) => feed.server.close(resolve));
    }
    expect(runner.state?.state).toBe('done');
  });
});

/** A `GET /events` of the given events, paged by position as the services serve it. */
async function serveFeed(events: readonly EventEnvelope[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const after = BigInt(url.searchParams.get('after') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? '100');
    const items = events.filter((event) => BigInt(event.position) > after).slice(0, Math.min(limit, 7));
    const page: EventPage = { items, nextAfter: items.at(-1)?.position ?? null };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
