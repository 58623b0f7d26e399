import { API_KEYS, call, eventually, Fleet, type Driver } from './support/fleet';
import { facilityTotal, listAllRigs } from './support/inventory-reads';
import { ConsumerWatch } from './support/consumer-progress';
import { serials } from './support/serials';

interface OrderView {
  id: string;
  status: string;
  lines: { model: string; quantity: number; shipped: number; received: number; damaged: number }[];
}
interface ShipmentView {
  id: string;
}

const MODEL = 'asicminer-8-nano-pro';

describe.each<Driver>(['sqlite', 'postgres'])('order → shipments → receipts → inventory (%s)', (driver) => {
  let fleet: Fleet;
  const facilityId = `e2e-${driver}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    fleet = await Fleet.start(driver);
  });

  afterAll(async () => {
    await fleet?.dispose();
  });

  it('orders 1,300 ASICminer rigs, ships them in three parts and sees every received rig in inventory', async () => {
    const placed = await call<OrderView>(
      fleet.procurement,
      'POST',
      '/orders',
      {
        facilityId,
        vendor: 'ASICminer',
        lines: [{ model: MODEL, quantity: 1300, unitPrice: { amount: '3499.00', currency: 'USD' } }],
        expectedDelivery: '2026-10-31',
      },
      { key: API_KEYS.procurement },
    );
    expect(placed.status).toBe(201);
    const orderId = placed.body.id;

    const parts = [600, 400, 300];
    const received: string[] = [];
    let offset = 0;
    for (const [index, quantity] of parts.entries()) {
      const shipment = await call<ShipmentView>(
        fleet.procurement,
        'POST',
        `/orders/${orderId}/shipments`,
        { lines: [{ model: MODEL, quantity }], carrier: 'DHL', eta: '2026-11-15' },
        { key: API_KEYS.procurement },
      );
      expect(shipment.status).toBe(201);
      const batch = serials(`${facilityId}-${driver}`, quantity, offset);
      offset += quantity;
      // The last shipment arrives with two units broken in transit.
      const damaged = index === parts.length - 1 ? batch.slice(-2) : [];
      const units = batch.filter((serial) => !damaged.includes(serial));
      const receipt = await call(
        fleet.procurement,
        'POST',
        `/shipments/${shipment.body.id}/receive`,
        {
          units: units.map((serialNumber) => ({ serialNumber, model: MODEL })),
          damaged: damaged.map((serialNumber) => ({
            serialNumber,
            model: MODEL,
            reason: 'cracked hash board',
          })),
        },
        { key: API_KEYS.procurement },
      );
      expect([200, 201]).toContain(receipt.status);
      received.push(...units);
    }

    const order = await call<OrderView>(fleet.procurement, 'GET', `/orders/${orderId}`);
    expect(order.body.status).toBe('fulfilled');
    expect(order.body.lines[0]).toMatchObject({ quantity: 1300, shipped: 1300, received: 1298, damaged: 2 });

    await eventually(
      async () => ((await facilityTotal(fleet.inventory, facilityId)) === received.length ? true : undefined),
      30_000,
      () => `inventory never listed ${received.length} rigs`,
    );
    const rigs = await listAllRigs(fleet.inventory, facilityId);
    expect(rigs.map((rig) => rig.serialNumber).sort()).toEqual([...received].sort());
    expect(new Set(rigs.map((rig) => rig.id)).size).toBe(received.length);
    for (const rig of rigs) expect(rig).toMatchObject({ model: MODEL, facilityId, status: 'received' });

    // Rig by rig: a serial looks up exactly its rig.
    const [first] = received;
    const lookup = await call<{ items: { serialNumber: string }[] }>(
      fleet.inventory,
      'GET',
      `/rigs?serialNumber=${encodeURIComponent(first)}`,
      undefined,
      { key: API_KEYS.operations },
    );
    expect(lookup.body.items).toEqual([expect.objectContaining({ serialNumber: first })]);
  });

  it('ends with exactly 12,000 rigs when inventory is SIGKILLed in the middle of a 12,000-unit receipt', async () => {
    const bigFacility = `${facilityId}-big`;
    const placed = await call<OrderView>(fleet.procurement, 'POST', '/orders', {
      facilityId: bigFacility,
      vendor: 'ASICminer',
      lines: [{ model: MODEL, quantity: 12_000, unitPrice: { amount: '3499.00', currency: 'USD' } }],
    });
    expect(placed.status).toBe(201);
    const shipment = await call<ShipmentView>(
      fleet.procurement,
      'POST',
      `/orders/${placed.body.id}/shipments`,
      {
        lines: [{ model: MODEL, quantity: 12_000 }],
        eta: '2026-12-01',
      },
    );
    expect(shipment.status).toBe(201);
    const units = serials(`${bigFacility}-${driver}`, 12_000).map((serialNumber) => ({
      serialNumber,
      model: MODEL,
    }));

    // Watch inventory's durable consumer on the NATS server and kill inventory while it is part-way
    // through the receipt's events: some handled and acknowledged, some not yet.
    const procurementStream = `${fleet.namespace.toUpperCase()}_PROCUREMENT`;
    const watch = await ConsumerWatch.open(procurementStream, 'inventory-ShipmentUnitsReceived');
    try {
      const before = await watch.progress();
      const receipt = await call(fleet.procurement, 'POST', `/shipments/${shipment.body.id}/receive`, {
        units,
      });
      expect([200, 201]).toContain(receipt.status);
      await eventually(
        async () => {
          const progress = await watch.progress();
          return progress.ackFloor > before.ackFloor ? progress : undefined;
        },
        30_000,
        () => 'inventory handled none of the receipt',
      );
      await fleet.inventory.kill();
      // The kill must land mid-receipt for this test to mean anything: the server still holds
      // receipt events that inventory had not acknowledged when it died.
      const afterKill = await watch.progress();
      expect(afterKill.pending + afterKill.ackPending).toBeGreaterThan(0);
    } finally {
      await watch.dispose();
    }

    await fleet.inventory.start();
    await eventually(
      async () => ((await facilityTotal(fleet.inventory, bigFacility)) === 12_000 ? true : undefined),
      60_000,
      () => 'inventory did not reach 12,000 rigs after the restart',
    );
    // Settle: redelivered messages must not add rigs.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const rigs = await listAllRigs(fleet.inventory, bigFacility);
    expect(rigs).toHaveLength(12_000);
    expect(new Set(rigs.map((rig) => rig.serialNumber)).size).toBe(12_000);
  });
});
