import { API_KEYS, call, eventually, type Fleet } from './fleet';
import { listAllRigs, type RigView } from './inventory-reads';
import { serials } from './serials';

export interface RigBatch {
  /** A model of the catalogue, e.g. `asicminer-8-nano`. */
  readonly model: string;
  readonly quantity: number;
}

export interface RackSlot {
  readonly rack: string;
  readonly slot: number;
}

/** Which rigs a power-on is for: every installed rig of the facility, or those named. */
export type PowerOnTarget = { readonly all: true } | { readonly rigIds: readonly string[] };

export interface InstallRigsOptions {
  /**
   * Serial numbers are `<serialPrefix><batch index>-000001`…; by default the prefix is
   * `<facilityId>-rig`. A facility seeded more than once needs a prefix per seeding.
   */
  readonly serialPrefix?: string;
  /** Where the unit at `index` (in the order of the batches) is racked; by default 20 to a rack. */
  readonly placement?: (index: number) => RackSlot;
}

/** How many rigs `installRigs` puts in a rack unless told otherwise. */
export const RIGS_PER_RACK = 20;
const procurement = { key: API_KEYS.procurement };
const operations = { key: API_KEYS.operations };

/** 20 rigs to a rack: `R000` slots 1–20, `R001`… */
export const twentyToARack = (index: number): RackSlot => ({
  rack: `R${String(Math.floor(index / RIGS_PER_RACK)).padStart(3, '0')}`,
  slot: (index % RIGS_PER_RACK) + 1,
});

/** One order of `batches` from ASICminer at procurement; answers its id. */
export async function placeOrder(
  fleet: Fleet,
  facilityId: string,
  batches: readonly RigBatch[],
  options: { readonly expectedDelivery?: string } = {},
): Promise<string> {
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
      ...(options.expectedDelivery === undefined ? {} : { expectedDelivery: options.expectedDelivery }),
    },
    procurement,
  );
  expect(order.status).toBe(201);
  return order.body.id;
}

/** One shipment of `batches` (all or part of the order), due on `eta`; answers its id. */
export async function shipOrder(
  fleet: Fleet,
  orderId: string,
  batches: readonly RigBatch[],
  eta = '2026-11-15',
): Promise<string> {
  const shipment = await call<{ id: string }>(
    fleet.procurement,
    'POST',
    `/orders/${orderId}/shipments`,
    { lines: batches.map(({ model, quantity }) => ({ model, quantity })), eta },
    procurement,
  );
  expect(shipment.status).toBe(201);
  return shipment.body.id;
}

/**
 * Waits until inventory lists every one of `serialNumbers` at the facility (it learns of receipts
 * from procurement's events); answers those rigs in the order of `serialNumbers`. Rigs the
 * facility already had are not counted, so a facility can be seeded more than once.
 */
export async function registeredRigs(
  fleet: Fleet,
  facilityId: string,
  serialNumbers: readonly string[],
): Promise<RigView[]> {
  return eventually(
    async () => {
      const bySerial = new Map(
        (await listAllRigs(fleet.inventory, facilityId)).map((rig) => [rig.serialNumber, rig]),
      );
      const rigs = serialNumbers.flatMap((serialNumber) => bySerial.get(serialNumber) ?? []);
      return rigs.length === serialNumbers.length ? rigs : undefined;
    },
    90_000,
    () => `inventory registering the ${serialNumbers.length} received units`,
  );
}

/**
 * The way rigs reach a facility's racks through the real services: one order and one shipment of
 * `batches` at procurement, a receipt with a serial number per unit, inventory registering every
 * one, and one bulk install (by default 20 to a rack, `R000`, `R001`…, in the order of `batches`).
 * Answers the rigs as inventory lists them, in that order.
 */
export async function installRigs(
  fleet: Fleet,
  facilityId: string,
  batches: readonly RigBatch[],
  options: InstallRigsOptions = {},
): Promise<RigView[]> {
  const { serialPrefix = `${facilityId}-rig`, placement = twentyToARack } = options;
  const orderId = await placeOrder(fleet, facilityId, batches);
  const shipmentId = await shipOrder(fleet, orderId, batches);
  const units = batches.flatMap(({ model, quantity }, index) =>
    serials(`${serialPrefix}${index}`, quantity).map((serialNumber) => ({ serialNumber, model })),
  );
  const receipt = await call(
    fleet.procurement,
    'POST',
    `/shipments/${shipmentId}/receive`,
    { units },
    procurement,
  );
  expect([200, 201]).toContain(receipt.status);
  const rigs = await registeredRigs(
    fleet,
    facilityId,
    units.map(({ serialNumber }) => serialNumber),
  );
  const placements = units.map(({ serialNumber }, index) => ({ serialNumber, ...placement(index) }));
  const install = await call(fleet.inventory, 'POST', '/rigs/install', { placements }, operations);
  expect(install.status).toBe(200);
  return rigs;
}

/**
 * Waits until a dry run of a power-on of `target` would power `rigs` rigs: power learns of installs
 * from inventory's events. The facility needs its capacity first.
 */
export async function untilPowerKnows(
  fleet: Fleet,
  facilityId: string,
  target: PowerOnTarget,
  rigs: number,
): Promise<void> {
  await eventually(
    async () => {
      const dryRun = await call<{ powered: number }>(
        fleet.power,
        'POST',
        `/facilities/${facilityId}/power-on`,
        { ...target, dryRun: true },
        operations,
      );
      return dryRun.body.powered === rigs ? true : undefined;
    },
    90_000,
    () => `power knowing the ${rigs} installed rigs`,
  );
}

/** Powers on `target` once power knows all `rigs` of it; every one of them must be powered. */
export async function powerOn(
  fleet: Fleet,
  facilityId: string,
  target: PowerOnTarget,
  rigs: number,
): Promise<void> {
  await untilPowerKnows(fleet, facilityId, target, rigs);
  const answer = await call<{ powered: number }>(
    fleet.power,
    'POST',
    `/facilities/${facilityId}/power-on`,
    target,
    operations,
  );
  expect(answer.status).toBe(200);
  expect(answer.body.powered).toBe(rigs);
}

/** Powers on every installed rig of the facility once power knows all `rigs` of them. */
export async function powerOnAll(fleet: Fleet, facilityId: string, rigs: number): Promise<void> {
  await powerOn(fleet, facilityId, { all: true }, rigs);
}
