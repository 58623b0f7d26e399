import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { API_KEYS, call, eventually, Fleet } from './support/fleet';
import { freePort } from './support/free-port';
import { listAllRigs } from './support/inventory-reads';
import { JetStreamDomainServer } from './support/jetstream-domain-server';
import { LeafLinkProxy } from './support/leaf-link-proxy';
import { installRigs, powerOn } from './support/seed-rigs';
import { ServiceProcess } from './support/service-process';

/**
 * Headquarters over two facilities, each on its own NATS server (JetStream domain = facility id)
 * linked to headquarters' server as a leaf node through a proxy the test can cut. Procurement,
 * inventory and power run at each facility; reporting runs at headquarters in `REPORTING_MODE=hq`,
 * on the streams that source every facility's. Facility A is cut off, keeps working, and once the
 * link is back headquarters' reports equal both facilities' own figures: nothing lost (every
 * event of the facilities' streams folded at HQ) and nothing twice (no more than those).
 */

const MODEL = 'asicminer-8-nano';
const CONTEXTS = ['procurement', 'inventory', 'power'] as const;
const CONVERGED_WITHIN_MS = 120_000;
const reports = { key: API_KEYS.reports };

interface Site {
  readonly facilityId: string;
  readonly nats: JetStreamDomainServer;
  readonly link: LeafLinkProxy;
  readonly fleet: Fleet;
  /** Orders placed here, and the units received here: the facility's own truth. */
  orders: number;
  received: number;
}

interface FleetReportBody {
  readonly rigs: number;
  readonly online: number;
  readonly installed: number;
  readonly byStatus: Record<string, number>;
  readonly byFacility: { facilityId: string; rigs: number; installed: number; online: number }[];
}
interface ProcurementReportBody {
  readonly pipeline: { orderId: string; facilityId: string; ordered: number; received: number }[];
}
interface PowerReportBody {
  readonly facilities: { facilityId: string; rigsOn: number }[];
}
interface StatusBody {
  readonly sources: { consumer: string; stream: string; eventsFolded: number; stalled: string | null }[];
  readonly rebuild: { generation: number; state: string; error: string | null } | null;
}

describe('headquarters over two facilities: one cut off keeps working, HQ converges (sqlite)', () => {
  const suffix = randomBytes(3).toString('hex');
  const namespace = `e2e_hq_${suffix}`;
  const streamPrefix = namespace.toUpperCase();
  const sites: Site[] = [];
  let hq: JetStreamDomainServer;
  let reporting: ServiceProcess;
  let reportingDataDir: string;

  beforeAll(async () => {
    hq = await JetStreamDomainServer.headquarters();
    for (const label of ['a', 'b']) {
      const facilityId = `hq-${label}-${suffix}`;
      const link = await LeafLinkProxy.start(hq.leafPort ?? 0);
      const nats = await JetStreamDomainServer.facility(facilityId, {
        hqLeafUrl: link.url,
        deniedSubjects: ['fleet.>', `${namespace}.fleet.>`],
      });
      const fleet = await Fleet.start('sqlite', { NATS_URL: nats.url, FLEET_NATS_NAMESPACE: namespace });
      sites.push({ facilityId, nats, link, fleet, orders: 0, received: 0 });
    }
    reportingDataDir = mkdtempSync(path.join(tmpdir(), `fleet-e2e-hq-${suffix}-`));
    reporting = new ServiceProcess({
      name: 'reporting',
      port: await freePort(),
      env: {
        NODE_ENV: 'test',
        NATS_URL: hq.url,
        DATA_DIR: reportingDataDir,
        FLEET_NATS_NAMESPACE: namespace,
        FLEET_API_KEYS: Object.entries(API_KEYS)
          .map(([role, key]) => `${role}:${key}`)
          .join(','),
        LOG_LEVEL: 'warn',
        REPORTING_MODE: 'hq',
        HQ_FACILITIES: sites.map((site) => site.facilityId).join(','),
      },
    });
    await reporting.start();
  });

  afterAll(async () => {
    await reporting?.stop();
    for (const site of sites) {
      await site.fleet.dispose();
      await site.link.close();
      await site.nats.dispose();
    }
    await hq?.dispose();
    if (reportingDataDir) rmSync(reportingDataDir, { recursive: true, force: true });
  });

  /** Order, ship, receive, rack and power on `quantity` rigs at a facility; every step must succeed. */
  async function orderReceiveInstallPowerOn(site: Site, label: string, quantity: number): Promise<void> {
    const { fleet, facilityId } = site;
    // In a rack of their own (`A101`…), powered on by id: the facility's earlier rigs are not counted.
    const registered = await installRigs(fleet, facilityId, [{ model: MODEL, quantity }], {
      serialPrefix: `${facilityId}-${label}-`,
      placement: (index) => ({ rack: `${label.toUpperCase()}01`, slot: index + 1 }),
    });
    site.orders += 1;
    site.received += quantity;
    const ours = new Set(registered.map((rig) => rig.serialNumber));
    const rigsOf = async () =>
      (await listAllRigs(fleet.inventory, facilityId)).filter((rig) => ours.has(rig.serialNumber));
    const capacity = await call(fleet.power, 'PUT', `/facilities/${facilityId}/capacity`, {
      schedule: [{ effectiveFrom: '2026-10-01', capacityKw: 3000 }],
      reserveKw: 0,
      pue: 1.05,
    });
    expect(capacity).toMatchObject({ status: 200 });
    await powerOn(fleet, facilityId, { rigIds: registered.map((rig) => rig.id) }, quantity);
    await eventually(
      async () => ((await rigsOf()).every((rig) => rig.status === 'online') ? true : undefined),
      60_000,
      () => `inventory following power: the rigs of ${label} online`,
    );
  }

  /** A facility's own figures, from its services. */
  async function facilityTruth(site: Site) {
    const byStatus: Record<string, number> = {};
    for (const rig of await listAllRigs(site.fleet.inventory, site.facilityId))
      byStatus[rig.status] = (byStatus[rig.status] ?? 0) + 1;
    const power = await call<{ rigsOn: number }>(
      site.fleet.power,
      'GET',
      `/facilities/${site.facilityId}/power`,
    );
    return { byStatus, rigsOn: power.body.rigsOn, orders: site.orders, received: site.received };
  }

  /** What headquarters' reports say about one facility. */
  async function hqFigures(facilityId: string) {
    const fleet = await call<FleetReportBody>(
      reporting,
      'GET',
      `/reports/fleet?facilityId=${facilityId}`,
      undefined,
      reports,
    );
    const procurement = await call<ProcurementReportBody>(
      reporting,
      'GET',
      `/reports/procurement?facilityId=${facilityId}`,
      undefined,
      reports,
    );
    const power = await call<PowerReportBody>(
      reporting,
      'GET',
      `/reports/power?facilityId=${facilityId}`,
      undefined,
      reports,
    );
    const byStatus = Object.fromEntries(Object.entries(fleet.body.byStatus).filter(([, count]) => count > 0));
    return {
      byStatus,
      rigsOn: power.body.facilities.find((facility) => facility.facilityId === facilityId)?.rigsOn ?? 0,
      orders: new Set(procurement.body.pipeline.map((line) => line.orderId)).size,
      received: procurement.body.pipeline.reduce((sum, line) => sum + line.received, 0),
    };
  }

  /** Messages in a stream on a server. */
  async function streamMessages(url: string, stream: string): Promise<number> {
    const nc = await connect({ servers: url, timeout: 3000 });
    try {
      return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
    } finally {
      await nc.close();
    }
  }

  /**
   * Every event of the facilities' streams is in headquarters' streams, once, and folded once: the
   * facilities' stream counts, the HQ streams' counts and the events reporting folded all agree.
   */
  async function eventCounts(linked: readonly Site[]) {
    const status = await call<StatusBody>(reporting, 'GET', '/reports/status', undefined, reports);
    const counts: Record<string, { facility: number; hq: number; folded: number }> = {};
    for (const site of linked)
      for (const context of CONTEXTS) {
        const consumer = `reporting-${context}-${site.facilityId}`;
        counts[consumer] = {
          facility: await streamMessages(site.nats.url, `${streamPrefix}_${context.toUpperCase()}`),
          hq: await streamMessages(hq.url, `${streamPrefix}_HQ_${context.toUpperCase()}_${site.facilityId}`),
          folded:
            status.body.sources.find((source) => source.consumer === consumer)?.eventsFolded ?? Number.NaN,
        };
      }
    return counts;
  }

  /**
   * Waits until headquarters' reports equal these facilities' truth, and (every facility linked)
   * its streams and folds hold exactly the facilities' events; returns both.
   */
  async function converged(of: readonly Site[]) {
    let last = '';
    return eventually(
      async () => {
        const pairs = [];
        for (const site of of)
          pairs.push({ truth: await facilityTruth(site), hq: await hqFigures(site.facilityId) });
        const counts = of.length === sites.length ? await eventCounts(sites) : {};
        last = JSON.stringify({ pairs, counts });
        const equal =
          pairs.every(({ truth, hq }) => JSON.stringify(truth) === JSON.stringify(hq)) &&
          Object.values(counts).every(({ facility, hq, folded }) => facility === hq && hq === folded);
        return equal ? { pairs, counts } : undefined;
      },
      CONVERGED_WITHIN_MS,
      () => `headquarters equal to the facilities; last seen ${last}`,
    );
  }

  it('shows every facility alone and together, keeps facility A working while cut off, and converges exactly once the link is back', async () => {
    const [a, b] = sites;
    // Before any outage: both facilities at work, both at headquarters.
    await orderReceiveInstallPowerOn(a, 'a1', 6);
    await orderReceiveInstallPowerOn(b, 'b1', 4);
    await converged(sites);
    const together = await call<FleetReportBody>(reporting, 'GET', '/reports/fleet', undefined, reports);
    expect(together.body.rigs).toBe(10);
    expect(together.body.online).toBe(10);
    expect(together.body.byFacility).toEqual(
      expect.arrayContaining([
        { facilityId: a.facilityId, rigs: 6, installed: 6, online: 6 },
        { facilityId: b.facilityId, rigs: 4, installed: 4, online: 4 },
      ]),
    );

    // A is cut off from headquarters: its orders, receipts, installs and power-ons all work.
    a.link.cut();
    await orderReceiveInstallPowerOn(a, 'a2', 5);
    await orderReceiveInstallPowerOn(b, 'b2', 3);
    // B still reaches headquarters; A's figures there stay as they were before the cut.
    const [bAtHq] = (await converged([b])).pairs;
    expect(bAtHq.hq).toEqual({ byStatus: { online: 7 }, rigsOn: 7, orders: 2, received: 7 });
    expect(await hqFigures(a.facilityId)).toEqual({
      byStatus: { online: 6 },
      rigsOn: 6,
      orders: 1,
      received: 6,
    });
    expect((await facilityTruth(a)).byStatus).toEqual({ online: 11 });

    // The link is back: headquarters catches up with A, nothing lost and nothing twice.
    a.link.restore();
    const after = await converged(sites);
    expect(after.pairs.map(({ hq }) => hq)).toEqual([
      { byStatus: { online: 11 }, rigsOn: 11, orders: 2, received: 11 },
      { byStatus: { online: 7 }, rigsOn: 7, orders: 2, received: 7 },
    ]);
    expect(Object.keys(after.counts)).toHaveLength(sites.length * CONTEXTS.length);
    for (const { facility, hq: atHq, folded } of Object.values(after.counts)) {
      expect(facility).toBeGreaterThan(0);
      expect(atHq).toBe(facility);
      expect(folded).toBe(facility);
    }
    const all = await call<FleetReportBody>(reporting, 'GET', '/reports/fleet', undefined, reports);
    expect(all.body).toMatchObject({ rigs: 18, online: 18, installed: 18 });
    const status = await call<StatusBody>(reporting, 'GET', '/reports/status', undefined, reports);
    expect(status.body.sources.filter((source) => source.stalled !== null)).toEqual([]);
    expect(status.body.sources.map((source) => source.stream)).toEqual(
      expect.arrayContaining(
        sites.flatMap((site) =>
          CONTEXTS.map((context) => `${streamPrefix}_HQ_${context.toUpperCase()}_${site.facilityId}`),
        ),
      ),
    );

    // A rebuild at headquarters reads the same streams and comes to the same reports.
    const rebuild = await call<{ generation: number }>(reporting, 'POST', '/admin/rebuild');
    expect(rebuild).toMatchObject({ status: 202 });
    const rebuilt = await eventually(
      async () => {
        const now = await call<StatusBody>(reporting, 'GET', '/reports/status', undefined, reports);
        return now.body.rebuild?.generation === rebuild.body.generation &&
          now.body.rebuild.state !== 'running'
          ? now.body.rebuild
          : undefined;
      },
      CONVERGED_WITHIN_MS,
      () => `the rebuild of generation ${rebuild.body.generation} finishing`,
    );
    expect(rebuilt).toMatchObject({ state: 'done', error: null });
    expect([await hqFigures(a.facilityId), await hqFigures(b.facilityId)]).toEqual(
      after.pairs.map(({ hq: atHq }) => atHq),
    );
    expect(
      (await call<FleetReportBody>(reporting, 'GET', '/reports/fleet', undefined, reports)).body,
    ).toEqual(all.body);
  });
});
