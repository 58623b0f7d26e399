import { randomUUID } from 'node:crypto';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { startProcurement, type ProcurementTestApp } from './support/procurement-test-app';

const facilityId = 'us-tx-01';
const nanoPro = 'asicminer-8-nano-pro';
const z15 = 'bitmain-antminer-z15';
const usd = { amount: '3499.00', currency: 'USD' };

interface BadRequest {
  readonly name: string;
  readonly url: string;
  /** An object is sent as JSON, a string as it is (with `contentType`). */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly status: number;
  readonly code?: string;
  readonly details?: Record<string, unknown>;
}

describe.each(TEST_DRIVERS)('invalid writes on %s: a 4xx problem and no event', (driver) => {
  let service: ProcurementTestApp;
  const run = randomUUID().slice(0, 8);
  const seen = [`${run}-SEEN-1`, `${run}-SEEN-2`];
  let orderId: string;
  let shipmentId: string;
  let receivedShipmentId: string;
  let otherShipmentId: string;
  let shippedOrderId: string;

  const post = async (url: string, body?: unknown) => {
    const response = await service.call('POST', url, { body });
    if (response.status >= 300) throw new Error(`set-up ${url} failed: ${response.text}`);
    return response.body as { id: string };
  };

  beforeAll(async () => {
    service = await startProcurement(driver);
    orderId = (
      await post('/orders', {
        facilityId,
        vendor: 'ASICminer',
        lines: [
          { model: nanoPro, quantity: 10, unitPrice: usd },
          { model: z15, quantity: 2, unitPrice: usd },
        ],
      })
    ).id;
    shipmentId = (
      await post(`/orders/${orderId}/shipments`, {
        lines: [{ model: nanoPro, quantity: 5 }],
        eta: '2026-11-01',
      })
    ).id;
    await post(`/shipments/${shipmentId}/receive`, {
      units: seen.map((serialNumber) => ({ serialNumber, model: nanoPro })),
    });
    receivedShipmentId = (
      await post(`/orders/${orderId}/shipments`, { lines: [{ model: z15, quantity: 2 }], eta: '2026-11-01' })
    ).id;
    await post(`/shipments/${receivedShipmentId}/receive`, {
      units: [{ serialNumber: `${run}-Z-1`, model: z15 }],
      damaged: [{ serialNumber: `${run}-Z-2`, model: z15, reason: 'dropped' }],
    });
    shippedOrderId = (
      await post('/orders', {
        facilityId,
        vendor: 'ASICminer',
        lines: [{ model: nanoPro, quantity: 3, unitPrice: usd }],
      })
    ).id;
    otherShipmentId = (
      await post(`/orders/${shippedOrderId}/shipments`, {
        lines: [{ model: nanoPro, quantity: 3 }],
        eta: '2026-11-01',
      })
    ).id;
  });
  afterAll(() => service?.dispose());

  const order = (): BadRequest[] => {
    const valid = {
      facilityId,
      vendor: 'ASICminer',
      lines: [{ model: nanoPro, quantity: 1, unitPrice: usd }],
    };
    const line = (change: Record<string, unknown>) => ({
      ...valid,
      lines: [{ ...valid.lines[0], ...change }],
    });
    return [
      { name: 'no body', url: '/orders', status: 400 },
      { name: 'an empty object', url: '/orders', body: {}, status: 400, code: 'validation-failed' },
      { name: 'an array', url: '/orders', body: [], status: 400, code: 'validation-failed' },
      {
        name: 'malformed JSON',
        url: '/orders',
        body: '{"facilityId":',
        contentType: 'application/json',
        status: 400,
      },
      { name: 'plain text', url: '/orders', body: 'order 10 rigs', contentType: 'text/plain', status: 400 },
      { name: 'XML', url: '/orders', body: '<order/>', contentType: 'application/xml', status: 415 },
      { name: 'no facility', url: '/orders', body: { ...valid, facilityId: undefined }, status: 400 },
      {
        name: 'a facility that is not a subject token',
        url: '/orders',
        body: { ...valid, facilityId: 'us.tx 01' },
        status: 400,
      },
      { name: 'a vendor that is a number', url: '/orders', body: { ...valid, vendor: 42 }, status: 400 },
      { name: 'no lines', url: '/orders', body: { ...valid, lines: [] }, status: 400 },
      {
        name: 'a model not in the catalogue',
        url: '/orders',
        body: line({ model: 'antminer-x99' }),
        status: 400,
      },
      { name: 'a negative quantity', url: '/orders', body: line({ quantity: -5 }), status: 400 },
      { name: 'a zero quantity', url: '/orders', body: line({ quantity: 0 }), status: 400 },
      { name: 'a fractional quantity', url: '/orders', body: line({ quantity: 1.5 }), status: 400 },
      { name: 'a quantity as a string', url: '/orders', body: line({ quantity: '10' }), status: 400 },
      {
        name: 'a price as a float',
        url: '/orders',
        body: line({ unitPrice: { amount: 3499.5, currency: 'USD' } }),
        status: 400,
      },
      {
        name: 'a negative price',
        url: '/orders',
        body: line({ unitPrice: { amount: '-1', currency: 'USD' } }),
        status: 400,
      },
      {
        name: 'a lower-case currency',
        url: '/orders',
        body: line({ unitPrice: { amount: '1', currency: 'usd' } }),
        status: 400,
      },
      {
        name: 'a date that is not ISO',
        url: '/orders',
        body: { ...valid, expectedDelivery: '31/10/2026' },
        status: 400,
      },
      {
        name: 'a date that does not exist',
        url: '/orders',
        body: { ...valid, expectedDelivery: '2026-02-30' },
        status: 400,
      },
      {
        name: 'a model on two lines',
        url: '/orders',
        body: { ...valid, lines: [valid.lines[0], valid.lines[0]] },
        status: 400,
        code: 'duplicate-order-lines',
      },
    ];
  };

  const shipment = (): BadRequest[] => {
    const url = `/orders/${orderId}/shipments`;
    const valid = { lines: [{ model: nanoPro, quantity: 1 }], eta: '2026-11-01' };
    return [
      {
        name: 'an unknown order',
        url: `/orders/${randomUUID()}/shipments`,
        body: valid,
        status: 404,
        code: 'order-not-found',
      },
      { name: 'an order id that is not a uuid', url: '/orders/PO-1/shipments', body: valid, status: 400 },
      { name: 'no body', url, status: 400 },
      { name: 'no ETA', url, body: { lines: valid.lines }, status: 400 },
      { name: 'an ETA in month 13', url, body: { ...valid, eta: '2026-13-01' }, status: 400 },
      { name: 'no lines', url, body: { eta: valid.eta }, status: 400 },
      {
        name: 'a negative quantity',
        url,
        body: { ...valid, lines: [{ model: nanoPro, quantity: -1 }] },
        status: 400,
      },
      {
        name: 'a model not in the catalogue',
        url,
        body: { ...valid, lines: [{ model: 'nano', quantity: 1 }] },
        status: 400,
      },
      { name: 'a carrier that is a number', url, body: { ...valid, carrier: 42 }, status: 400 },
      {
        name: 'a model on two lines',
        url,
        body: { ...valid, lines: [valid.lines[0], valid.lines[0]] },
        status: 400,
        code: 'duplicate-shipment-lines',
      },
      {
        name: 'a model the order does not have',
        url,
        body: { ...valid, lines: [{ model: 'bitmain-antminer-s21', quantity: 1 }] },
        status: 409,
        code: 'model-not-ordered',
      },
      {
        name: 'more than is ordered and not yet shipped',
        url,
        body: { ...valid, lines: [{ model: nanoPro, quantity: 6 }] },
        status: 409,
        code: 'shipment-exceeds-order',
        details: { lines: [{ model: nanoPro, requested: 6, outstanding: 5 }] },
      },
    ];
  };

  const delay = (): BadRequest[] => {
    const url = `/shipments/${shipmentId}/delay`;
    const valid = { eta: '2026-12-01', reason: 'port congestion' };
    return [
      {
        name: 'an unknown shipment',
        url: `/shipments/${randomUUID()}/delay`,
        body: valid,
        status: 404,
        code: 'shipment-not-found',
      },
      { name: 'no reason', url, body: { eta: valid.eta }, status: 400 },
      { name: 'an empty reason', url, body: { ...valid, reason: '' }, status: 400 },
      { name: 'an ETA that is not a date', url, body: { ...valid, eta: 'next week' }, status: 400 },
      {
        name: 'an ETA that is not later',
        url,
        body: { ...valid, eta: '2026-10-31' },
        status: 409,
        code: 'eta-not-later',
      },
      {
        name: 'a shipment fully received',
        url: `/shipments/${receivedShipmentId}/delay`,
        body: valid,
        status: 409,
        code: 'shipment-already-received',
      },
    ];
  };

  const receipt = (): BadRequest[] => {
    const url = `/shipments/${shipmentId}/receive`;
    const unit = (serialNumber: string, model = nanoPro) => ({ serialNumber, model });
    return [
      {
        name: 'an unknown shipment',
        url: `/shipments/${randomUUID()}/receive`,
        body: { units: [unit(`${run}-N1`)] },
        status: 404,
      },
      {
        name: 'a shipment id that is not a uuid',
        url: '/shipments/42/receive',
        body: { units: [unit(`${run}-N1`)] },
        status: 400,
      },
      { name: 'no units at all', url, body: {}, status: 400 },
      { name: 'an empty list of units', url, body: { units: [] }, status: 400 },
      { name: 'units that are not a list', url, body: { units: 'lots' }, status: 400 },
      { name: 'a unit without a serial', url, body: { units: [{ model: nanoPro }] }, status: 400 },
      { name: 'a serial with a space', url, body: { units: [unit('AB 12')] }, status: 400 },
      {
        name: 'a model not in the catalogue',
        url,
        body: { units: [unit(`${run}-N1`, 'nano')] },
        status: 400,
      },
      {
        name: 'a malformed MAC address',
        url,
        body: { units: [{ ...unit(`${run}-N1`), macAddress: '00:1A:2B' }] },
        status: 400,
      },
      { name: 'a damaged unit without a reason', url, body: { damaged: [unit(`${run}-N1`)] }, status: 400 },
      {
        name: 'more units than the request limit',
        url,
        body: { units: Array.from({ length: 20_001 }, (_, index) => unit(`${run}-L${index}`)) },
        status: 400,
      },
      {
        name: 'a serial twice in one receipt, across units and damaged',
        url,
        body: {
          units: [unit(`${run}-D1`), unit(`${run}-D2`), unit(`${run}-D1`)],
          damaged: [{ ...unit(`${run}-D2`), reason: 'dented' }],
        },
        status: 400,
        code: 'duplicate-serials',
        details: { serials: [`${run}-D1`, `${run}-D2`] },
      },
      {
        name: 'a model the shipment does not carry',
        url,
        body: { units: [unit(`${run}-N1`, z15)] },
        status: 409,
        code: 'model-not-on-shipment',
      },
      {
        name: 'more units than shipped, counting earlier receipts',
        url,
        body: { units: [1, 2, 3, 4].map((index) => unit(`${run}-M${index}`)) },
        status: 409,
        code: 'receipt-exceeds-shipment',
        details: { lines: [{ model: nanoPro, shipped: 5, alreadyReceived: 2, attempted: 4 }] },
      },
      {
        name: 'serials received before, in another order',
        url: `/shipments/${otherShipmentId}/receive`,
        body: {
          units: [unit(seen[1]), unit(`${run}-FRESH`)],
          damaged: [{ ...unit(seen[0]), reason: 'wet' }],
        },
        status: 409,
        code: 'uniqueness-violation',
        details: { serials: seen },
      },
    ];
  };

  const cancel = (): BadRequest[] => [
    {
      name: 'an unknown order',
      url: `/orders/${randomUUID()}/cancel`,
      body: {},
      status: 404,
      code: 'order-not-found',
    },
    { name: 'an order id that is not a uuid', url: '/orders/xyz/cancel', body: {}, status: 400 },
    {
      name: 'a reason that is a number',
      url: `/orders/${orderId}/cancel`,
      body: { reason: 42 },
      status: 400,
    },
    { name: 'an empty reason', url: `/orders/${orderId}/cancel`, body: { reason: '' }, status: 400 },
    {
      name: 'an order with nothing left to cancel',
      url: `/orders/${shippedOrderId}/cancel`,
      body: {},
      status: 409,
      code: 'nothing-to-cancel',
    },
  ];

  describe.each([
    ['POST /orders', order],
    ['POST /orders/:id/shipments', shipment],
    ['POST /shipments/:id/delay', delay],
    ['POST /shipments/:id/receive', receipt],
    ['POST /orders/:id/cancel', cancel],
  ] as const)('%s', (_endpoint, cases) => {
    it('refuses each invalid request with a problem document and records nothing', async () => {
      for (const bad of cases()) {
        const events = await service.eventCount();
        const response = await service.call('POST', bad.url, {
          body: bad.body,
          headers: bad.contentType ? { 'content-type': bad.contentType } : {},
        });
        expect({ case: bad.name, status: response.status }).toEqual({ case: bad.name, status: bad.status });
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        const problem = response.body as { status: number; code: string; details?: unknown; detail: string };
        expect(problem.status).toBe(bad.status);
        expect(typeof problem.detail).toBe('string');
        if (bad.code)
          expect({ case: bad.name, code: problem.code }).toEqual({ case: bad.name, code: bad.code });
        if (bad.details) expect(problem.details).toEqual(bad.details);
        expect({ case: bad.name, events: await service.eventCount() }).toEqual({ case: bad.name, events });
      }
    });
  });
});
