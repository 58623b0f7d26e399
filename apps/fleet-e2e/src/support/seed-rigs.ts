import { API_KEYS, call, eventually, type Fleet } from './fleet';
import { listAllRigs } from './inventory-reads';
import { serials } from './serials';

export interface RigBatch {
  /** A model of the catalogue, e.g. `asicminer-8-nano`. */
  readonly model: string;
  readonly quantity: number;
}

const PER_RACK = 20;
const procurement = { key: API_KEYS.procurement };
const operations = { key: API_KEYS.operations };

/**
 * The way rigs reach a facility's racks through the real services: one order and one shipment of
 * `batches` at procurement, a receipt with a serial number per unit, inventory registering every
 * one, and one bulk install, 20 to a rack (`R000`, `R001`…) in the order of `batches`. Answers the
 * serial numbers, in that order.
 */
export async function installRigs(
  fleet: Fleet,
  facilityId: string,
  batches: readonly RigBatch[],
): Promise<string[]> {
  const order = await call<{ id: string }>(
    fleet.procurement,
    'POST',
    '/orders',
    {
      facilityId,
      vendor: 'ASICminer',
      lines: batches.map(({ model, quantity }) => ({
        model,
        quantity,
        unitPrice: { amount: '2999.00', currency: 'USD' },
      })),
    },
    procurement,
  );
  expect(order.status).toBe(201);
  const shipment = await call<{ id: string }>(
    fleet.procurement,
    'POST',
    `/orders/${order.body.id}/shipments`,
    { lines: batches.map(({ model, quantity }) => ({ model, quantity })), eta: '2026-11-15' },
    procurement,
  );
  expect(shipment.status).toBe(201);
  const units = batches.flatMap(({ model, quantity }, index) =>
    serials(`${facilityId}-rig${index}`, quantity).map((serialNumber) => ({ serialNumber, model })),
  );
  const receipt = await call(
    fleet.procurement,
    'POST',
    `/shipments/${shipment.body.id}/receive`,
    { units },
    procurement,
  );
  expect([200, 201]).toContain(receipt.status);
  await eventually(
    async () => ((await listAllRigs(fleet.inventory, facilityId)).length === units.length ? true : undefined),
    90_000,
    () => 'every received unit registered in inventory',
  );
  const placements = units.map(({ serialNumber }, index) => ({
    serialNumber,
    rack: `R${String(Math.floor(index / PER_RACK)).padStart(3, '0')}`,
    slot: (index % PER_RACK) + 1,
  }));
  const install = await call(fleet.inventory, 'POST', '/rigs/install', { placements }, operations);
  expect(install.status).toBe(200);
  return units.map(({ serialNumber }) => serialNumber);
}

/**
 * Powers on every installed rig of the facility once power knows all `rigs` of them (it learns of
 * installs from inventory's events; a dry run says when). The facility needs its capacity first.
 */
export async function powerOnAll(fleet: Fleet, facilityId: string, rigs: number): Promise<void> {
  await eventually(
    async () => {
      const dryRun = await call<{ powered: number }>(
        fleet.power,
        'POST',
        `/facilities/${facilityId}/power-on`,
        { all: true, dryRun: true },
        operations,
      );
      return dryRun.body.powered === rigs ? true : undefined;
    },
    90_000,
    () => 'power knowing every installed rig',
  );
  const powerOn = await call<{ powered: number }>(
    fleet.power,
    'POST',
    `/facilities/${facilityId}/power-on`,
    { all: true },
    operations,
  );
  expect(powerOn.body.powered).toBe(rigs);
}
