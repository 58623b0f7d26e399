/**
 * API reads under load against a bare `node:http` server answering the same bodies, in the same
 * run, with the same load generator (50 keep-alive connections, 5 s per case after a 1 s warm-up).
 * Targets: GET /rigs/:id >= 0.8x the baseline's requests per second, GET /rigs?limit=50 >= 0.5x,
 * p99 <= 20 ms. Each line also gives the CPU time per request of the service and of the baseline
 * (from /proc), and their ratio: on a machine shared with other work it is the steadier figure.
 */
import { API_KEYS, call, Fleet, type Driver } from '../src/support/fleet';
import { facilityTotal } from '../src/support/inventory-reads';
import { serials } from '../src/support/serials';
import { startBareServer } from './bare-http-server';
import { cpuMsOf, load } from './http-load';

const RIGS = 1000;
const MODEL = 'asicminer-8-nano-pro';
const CONNECTIONS = 50;
const DURATION_MS = 5000;

describe.each<Driver>(['sqlite', 'postgres'])('HTTP reads of inventory (%s)', (driver) => {
  it('serves GET /rigs/:id and GET /rigs?limit=50 against a bare node:http baseline', async () => {
    const fleet = await Fleet.start(driver, { LOG_LEVEL: 'warn' });
    try {
      const facilityId = `reads-${driver}-${Date.now().toString(36)}`;
      const order = await call<{ id: string }>(fleet.procurement, 'POST', '/orders', {
        facilityId,
        vendor: 'ASICminer',
        lines: [{ model: MODEL, quantity: RIGS, unitPrice: { amount: '3499.00', currency: 'USD' } }],
      });
      const shipment = await call<{ id: string }>(
        fleet.procurement,
        'POST',
        `/orders/${order.body.id}/shipments`,
        {
          lines: [{ model: MODEL, quantity: RIGS }],
          eta: '2026-12-01',
        },
      );
      await call(fleet.procurement, 'POST', `/shipments/${shipment.body.id}/receive`, {
        units: serials(facilityId, RIGS).map((serialNumber) => ({ serialNumber, model: MODEL })),
      });
      while ((await facilityTotal(fleet.inventory, facilityId)) < RIGS)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const page = await call<{ items: { id: string }[] }>(
        fleet.inventory,
        'GET',
        `/rigs?facilityId=${facilityId}&limit=50`,
      );
      const ids = page.body.items.map((rig) => rig.id);
      const one = await call(fleet.inventory, 'GET', `/rigs/${ids[0]}`);
      const bare = await startBareServer({ one: JSON.stringify(one.body), page: JSON.stringify(page.body) });
      const headers = { authorization: `Bearer ${API_KEYS.reports}` };
      const cases = [
        {
          name: 'get-rig',
          target: 0.8,
          service: (n: number) => `${fleet.inventory.baseUrl}/rigs/${ids[n % ids.length]}`,
          baseline: (n: number) => `${bare.url}/rigs/${ids[n % ids.length]}`,
        },
        {
          name: 'list-rigs-50',
          target: 0.5,
          service: () => `${fleet.inventory.baseUrl}/rigs?facilityId=${facilityId}&limit=50`,
          baseline: () => `${bare.url}/page?limit=50`,
        },
      ];
      try {
        for (const benchCase of cases) {
          await load(benchCase.service, { connections: CONNECTIONS, durationMs: 1000, headers });
          await load(benchCase.baseline, { connections: CONNECTIONS, durationMs: 1000 });
          const serviceCpu = cpuMsOf(fleet.inventory.pid);
          const measured = await load(benchCase.service, {
            connections: CONNECTIONS,
            durationMs: DURATION_MS,
            headers,
          });
          const serviceCpuMs = (cpuMsOf(fleet.inventory.pid) ?? 0) - (serviceCpu ?? 0);
          const baselineCpu = cpuMsOf(bare.pid);
          const baseline = await load(benchCase.baseline, {
            connections: CONNECTIONS,
            durationMs: DURATION_MS,
          });
          const baselineCpuMs = (cpuMsOf(bare.pid) ?? 0) - (baselineCpu ?? 0);
          // CPU per request: unlike throughput, it barely moves when other work shares the machine.
          const cpuUsPerRequest = Math.round((serviceCpuMs * 1000) / measured.requests);
          const baselineCpuUsPerRequest = Math.round((baselineCpuMs * 1000) / baseline.requests);
          process.stdout.write(
            `${JSON.stringify({
              bench: 'http-read',
              driver,
              case: benchCase.name,
              connections: CONNECTIONS,
              requestsPerSecond: measured.requestsPerSecond,
              p50Ms: measured.p50Ms,
              p99Ms: measured.p99Ms,
              errors: measured.errors,
              baselineRequestsPerSecond: baseline.requestsPerSecond,
              baselineP99Ms: baseline.p99Ms,
              ratio: Number((measured.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)),
              target: benchCase.target,
              cpuUsPerRequest,
              baselineCpuUsPerRequest,
              cpuRatio: Number((baselineCpuUsPerRequest / cpuUsPerRequest).toFixed(2)),
            })}\n`,
          );
          expect(measured.errors).toBe(0);
        }
      } finally {
        await bare.stop();
      }
    } finally {
      await fleet.dispose();
    }
  });
});
