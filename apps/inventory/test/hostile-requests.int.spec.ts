import type { TestDriver } from '@fleet/event-sourcing/testing';
import { describeHostileWrites, storeAnswer } from '@fleet/service-kit/testing';
import type { HostileWritesStore, WriteRoute } from '@fleet/service-kit/testing';
import { DataSource } from 'typeorm';
import { rigIdOf } from '../src/rigs/domain/rig-id';
import { eventCount } from './event-count';
import { startInventory, type InventoryApp } from './inventory-app';

const facilityId = 'tx-hostile';
const model = 'asicminer-8-nano-pro';
const MIB = 1024 * 1024;

/** Rigs the fixtures register, each in the state one route's accepted request needs. */
const RIGS = {
  rigId: 'HOSTILE-RECEIVED-1',
  placedByJson: 'HOSTILE-RECEIVED-2',
  placedByCsv: 'HOSTILE-RECEIVED-3',
  inRepairId: 'HOSTILE-IN-REPAIR-1',
} as const;

/**
 * Every write route of inventory, each with a request it accepts once the fixtures exist: whatever
 * the tests send is that request broken in one way, so the break alone is why it is refused.
 */
const WRITE_ROUTES: readonly WriteRoute[] = [
  {
    method: 'POST',
    path: '/rigs',
    body: { serialNumber: 'HOSTILE-NEW-1', model, facilityId, macAddress: '00:1A:2B:3C:4D:5E' },
  },
  { method: 'POST', path: '/rigs/{id:rigId}/install', body: { rack: 'H-1', slot: 7 } },
  {
    method: 'POST',
    path: '/rigs/install',
    body: { placements: [{ serialNumber: RIGS.placedByJson, rack: 'H-2', slot: 1 }] },
  },
  { method: 'POST', path: '/rigs/install', csv: `serialNumber,rack,slot\n${RIGS.placedByCsv},H-3,1\n` },
  { method: 'POST', path: '/rigs/{id:rigId}/repair', body: { reason: 'fan failure' }, freeText: ['reason'] },
  {
    method: 'POST',
    path: '/rigs/{id:rigId}/decommission',
    body: { reason: 'end of life' },
    freeText: ['reason'],
  },
  // Takes no body; a body it cannot read is refused all the same.
  { method: 'POST', path: '/rigs/{id:inRepairId}/return' },
];

/** Inventory on a fresh database of the driver, with the rigs of `RIGS` registered (one in repair). */
async function startStore(
  driver: TestDriver,
): Promise<HostileWritesStore & { readonly inventory: InventoryApp }> {
  const inventory = await startInventory(driver);
  const expectStatus = async (status: number, response: Promise<{ statusCode: number; body: string }>) => {
    const { statusCode, body } = await response;
    if (statusCode !== status) throw new Error(`set-up failed: ${statusCode} ${body}`);
  };
  for (const serialNumber of Object.values(RIGS))
    await expectStatus(201, inventory.call('POST', '/rigs', { body: { serialNumber, model, facilityId } }));
  const ids = Object.fromEntries(Object.entries(RIGS).map(([name, serial]) => [name, rigIdOf(serial)]));
  await expectStatus(
    200,
    inventory.call('POST', `/rigs/${ids['inRepairId']}/repair`, { body: { reason: 'psu' } }),
  );
  const dataSource = inventory.app.get(DataSource);
  return {
    name: driver,
    inventory,
    ids,
    async send({ method, url, headers, payload }) {
      const response = await inventory.call(method, url, { body: payload, headers: { ...headers } });
      return storeAnswer(response.statusCode, response.headers, response.body);
    },
    storedCount: () => eventCount(dataSource),
    dispose: () => inventory.close(),
  };
}

describeHostileWrites({
  service: 'inventory',
  routes: WRITE_ROUTES,
  startStore,
  generatedPerRoute: 200,
  seed: 0x1d0,
  alsoTest(stores) {
    it('answers an unauthenticated 16 MB bulk install with 401 unread, and one over BODY_LIMIT_BYTES with 413', async () => {
      // Never closed: parsed, it would be a 400 (malformed) after gigabytes.
      const huge = Buffer.from(`{"placements":[${'{},'.repeat((16 * MIB) / 3 - 10)}`);
      const headers = { 'content-type': 'application/json' };
      for (const { inventory, storedCount } of stores()) {
        const before = await storedCount();
        const anonymous = await inventory.call('POST', '/rigs/install', { as: null, body: huge, headers });
        expect(anonymous.statusCode).toBe(401);
        const tooLarge = await inventory.call('POST', '/rigs/install', {
          body: Buffer.concat([huge, Buffer.alloc(MIB, ' ')]),
          headers,
        });
        expect(tooLarge.statusCode).toBe(413);
        expect(tooLarge.json()).toMatchObject({
          detail: `the request body is larger than the limit of ${16 * MIB} bytes`,
        });
        expect(await storedCount()).toBe(before);
      }
    });
  },
});
