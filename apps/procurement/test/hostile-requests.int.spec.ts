import type { TestDriver } from '@fleet/event-sourcing/testing';
import { describeHostileWrites, storeAnswer } from '@fleet/service-kit/testing';
import type { HostileWritesStore, WriteRoute } from '@fleet/service-kit/testing';
import { startProcurement, type ProcurementTestApp } from './support/procurement-test-app';

const facilityId = 'us-tx-01';
const nanoPro = 'asicminer-8-nano-pro';
const MIB = 1024 * 1024;

/**
 * Every write route of procurement, each with a request it accepts once the fixtures exist (an
 * order of 10 units with a shipment of 5 in transit, due 2026-11-01): whatever the tests send is
 * that request broken in one way, so the break alone is why it is refused.
 */
const WRITE_ROUTES: readonly WriteRoute[] = [
  {
    method: 'POST',
    path: '/orders',
    body: {
      facilityId,
      vendor: 'ASICminer',
      lines: [{ model: nanoPro, quantity: 10, unitPrice: { amount: '3499.00', currency: 'USD' } }],
      expectedDelivery: '2026-10-31',
    },
    freeText: ['vendor'],
  },
  {
    method: 'POST',
    path: '/orders/{id:orderId}/shipments',
    body: {
      lines: [{ model: nanoPro, quantity: 1 }],
      carrier: 'DHL',
      trackingNumber: '1Z999AA1',
      eta: '2026-11-15',
    },
    freeText: ['carrier', 'trackingNumber'],
  },
  {
    method: 'POST',
    path: '/shipments/{id:shipmentId}/delay',
    body: { eta: '2026-12-01', reason: 'port congestion' },
    freeText: ['reason'],
  },
  {
    method: 'POST',
    path: '/shipments/{id:shipmentId}/receive',
    body: {
      units: [{ serialNumber: 'HOSTILE-U-1', model: nanoPro, macAddress: '00:1A:2B:3C:4D:5E' }],
      damaged: [{ serialNumber: 'HOSTILE-D-1', model: nanoPro, reason: 'dented in transit' }],
    },
    freeText: ['damaged.*.reason'],
  },
  {
    method: 'POST',
    path: '/orders/{id:orderId}/cancel',
    body: { reason: 'supplier discontinued the model' },
    freeText: ['reason'],
  },
];

/** The service on a fresh database of the driver, with the fixtures the routes' own requests need. */
async function startStore(
  driver: TestDriver,
): Promise<HostileWritesStore & { readonly service: ProcurementTestApp }> {
  const service = await startProcurement(driver);
  const created = async (url: string, body: unknown) => {
    const response = await service.call('POST', url, { body });
    if (response.status !== 201) throw new Error(`set-up ${url} failed: ${response.text}`);
    return (response.body as { id: string }).id;
  };
  const orderId = await created('/orders', {
    facilityId,
    vendor: 'ASICminer',
    lines: [{ model: nanoPro, quantity: 10, unitPrice: { amount: '3499.00', currency: 'USD' } }],
  });
  const shipmentId = await created(`/orders/${orderId}/shipments`, {
    lines: [{ model: nanoPro, quantity: 5 }],
    eta: '2026-11-01',
  });
  return {
    name: driver,
    service,
    ids: { orderId, shipmentId },
    async send({ method, url, headers, payload }) {
      const response = await service.call(method, url, { body: payload, headers: { ...headers } });
      return storeAnswer(response.status, response.headers, response.text);
    },
    storedCount: () => service.eventCount(),
    dispose: () => service.dispose(),
  };
}

describeHostileWrites({
  service: 'procurement',
  routes: WRITE_ROUTES,
  startStore,
  generatedPerRoute: 300,
  seed: 0x5eed,
  alsoTest(stores) {
    describe('the API key is checked before the body is read', () => {
      // `[{},{},…` of 16 MB, never closed: parsed, it would be a 400 (malformed) after a gigabyte.
      const hugeOrder = Buffer.from(`[${'{},'.repeat(16_000_000 / 3)}`);
      const json = { 'content-type': 'application/json' };

      it('answers an unauthenticated 16 MB order with 401, and an authenticated one with 413, unread', async () => {
        for (const { service, storedCount } of stores()) {
          const before = await storedCount();
          const anonymous = await service.call('POST', '/orders', {
            as: null,
            body: hugeOrder,
            headers: json,
          });
          expect(anonymous.status).toBe(401);
          expect(anonymous.body).toMatchObject({ code: 'missing-api-key' });

          const authenticated = await service.call('POST', '/orders', { body: hugeOrder, headers: json });
          expect(authenticated.status).toBe(413);
          expect(authenticated.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(authenticated.body).toMatchObject({
            code: 'payload-too-large',
            detail: `the request body is larger than the limit of ${MIB} bytes`,
          });
          expect(await storedCount()).toBe(before);
        }
      });

      it('answers malformed JSON without a key with 401, with a key with 400', async () => {
        for (const { service } of stores()) {
          const send = (as: 'procurement' | null) =>
            service.call('POST', '/orders', { as, body: '{"vendor":', headers: json });
          expect((await send(null)).status).toBe(401);
          expect((await send('procurement')).body).toMatchObject({ status: 400, code: 'malformed-json' });
        }
      });

      it('answers a receipt over BODY_LIMIT_BYTES with 413 naming that limit', async () => {
        const [{ service, ids }] = stores();
        const units = `{"units":[${'{"serialNumber":"X","model":"m"},'.repeat((17 * MIB) / 33)}]}`;
        const response = await service.call('POST', `/shipments/${ids['shipmentId']}/receive`, {
          body: units,
          headers: json,
        });
        expect(response.status).toBe(413);
        expect(response.body).toMatchObject({
          detail: `the request body is larger than the limit of ${16 * MIB} bytes`,
        });
      });
    });
  },
});
