import { call, Fleet, type Driver } from '../src/support/fleet';
import { facilityTotal } from '../src/support/inventory-reads';
import { serials } from '../src/support/serials';
import { CpuMeter } from './process-cpu';
import { rawPipelineMs } from './raw-pipeline-baseline';

const UNITS = 12_000;
const MODEL = 'asicminer-8-nano-pro';

function report(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

describe.each<Driver>(['sqlite', 'postgres'])('receive one 12,000-unit shipment (%s)', (driver) => {
  it('times the receipt until inventory lists every rig, and the services’ peak memory', async () => {
    const fleet = await Fleet.start(driver);
    try {
      const facilityId = `bench-${driver}-${Date.now().toString(36)}`;
      const order = await call<{ id: string }>(fleet.procurement, 'POST', '/orders', {
        facilityId,
        vendor: 'ASICminer',
        lines: [{ model: MODEL, quantity: UNITS, unitPrice: { amount: '3499.00', currency: 'USD' } }],
      });
      const shipment = await call<{ id: string }>(
        fleet.procurement,
        'POST',
        `/orders/${order.body.id}/shipments`,
        {
          lines: [{ model: MODEL, quantity: UNITS }],
          eta: '2026-12-01',
        },
      );
      const units = serials(facilityId, UNITS).map((serialNumber) => ({ serialNumber, model: MODEL }));
      const isListed = async (serialNumber: string) => {
        const page = await call<{ items: unknown[] }>(
          fleet.inventory,
          'GET',
          `/rigs?facilityId=${facilityId}&serialNumber=${serialNumber}&limit=1`,
        );
        if (page.status !== 200) throw new Error(`GET /rigs answered ${page.status}`);
        return page.body.items.length === 1;
      };

      const cpu = new CpuMeter({ procurement: fleet.procurement.pid, inventory: fleet.inventory.pid });
      const started = performance.now();
      const receipt = await call(fleet.procurement, 'POST', `/shipments/${shipment.body.id}/receive`, {
        units,
      });
      const acceptedMs = performance.now() - started;
      expect([200, 201]).toContain(receipt.status);
      // The probe must not load what it measures: a facility summary counts up to 12,000 rows, and
      // every 25 ms that was a tenth of the machine. The last unit is one index lookup; it comes
      // last (the units go in order, and inventory handles the events in order), and the count
      // confirms it once.
      const lastSerial = units[units.length - 1].serialNumber;
      while (!(await isListed(lastSerial)) || (await facilityTotal(fleet.inventory, facilityId)) < UNITS) {
        if (performance.now() - started > 120_000)
          throw new Error('inventory did not list 12,000 rigs in 120 s');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const listedMs = performance.now() - started;
      const listedCpu = cpu.read();
      const baselineMs = await rawPipelineMs(
        driver,
        serials(`${facilityId}-raw`, UNITS).map((serialNumber) => ({ serialNumber, model: MODEL })),
      );
      report({
        bench: 'receive-12000-units-until-listed',
        driver,
        units: UNITS,
        receiptAcceptedMs: Math.round(acceptedMs),
        listedMs: Math.round(listedMs),
        targetMs: 1000,
        baselineMs: Math.round(baselineMs),
        ratio: Number((listedMs / baselineMs).toFixed(2)),
        // Where the time went: each service's CPU over the receipt (the probe's reads included).
        ...listedCpu,
      });
      for (const service of [fleet.procurement, fleet.inventory]) {
        report({
          bench: 'peak-memory-during-receipt',
          driver,
          service: service.options.name,
          peakRssMb: Math.round(service.peakMemoryBytes() / 2 ** 20),
          limitMb: 250,
        });
      }
      expect(listedMs).toBeGreaterThan(0);
    } finally {
      await fleet.dispose();
    }
  });
});
