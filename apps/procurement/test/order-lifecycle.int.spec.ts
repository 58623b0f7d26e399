import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import type { EventPage } from '@fleet/contracts';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { connectNats } from '@fleet/messaging';
import type { EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE, encodeCursor } from '@fleet/service-kit';
import { startProcurement, type ProcurementTestApp } from './support/procurement-test-app';

const facilityId = 'us-tx-01';
const nanoPro = 'asicminer-8-nano-pro';
const z15 = 'bitmain-antminer-z15';

interface OrderBody {
  id: string;
  status: string;
  version: number;
  lines: {
    model: string;
    quantity: number;
    shipped: number;
    received: number;
    damaged: number;
    cancelled: number;
  }[];
  shipments: { id: string; status: string; received: number; damaged: number; eta: string }[];
}
interface ShipmentBody {
  id: string;
  orderId: string;
  status: string;
  eta: string;
  received: number;
  damaged: number;
}
interface ReceiptBody {
  receiptId: string;
  shipmentId: string;
  orderId: string;
  received: number;
  damaged: number;
  shipmentStatus: string;
  orderStatus: string;
  version: number;
}

const units = (prefix: string, count: number, model = nanoPro) =>
  Array.from({ length: count }, (_, index) => ({
    serialNumber: `${prefix}-${String(index + 1).padStart(6, '0')}`,
    model,
    macAddress: `02:00:00:${[index >> 16, (index >> 8) & 255, index & 255].map((byte) => byte.toString(16).padStart(2, '0')).join(':')}`,
  }));

describe.each(TEST_DRIVERS)('procurement over HTTP on %s', (driver) => {
  let service: ProcurementTestApp;
  const runId = randomUUID().slice(0, 8);

  beforeAll(async () => {
    service = await startProcurement(driver);
  });
  afterAll(() => service?.dispose());

  it('places an order, ships it in parts, receives it (12,000 units in one request) and fulfils it', async () => {
    const placed = await service.call('POST', '/orders', {
      body: {
        facilityId,
        vendor: 'ASICminer',
        lines: [
          { model: nanoPro, quantity: 13_300, unitPrice: { amount: '3499.00', currency: 'USD' } },
          { model: z15, quantity: 20, unitPrice: { amount: '1999.50', currency: 'USD' } },
        ],
        expectedDelivery: '2026-10-31',
      },
    });
    expect(placed.status).toBe(201);
    const order = placed.body as OrderBody;
    expect(placed.headers['location']).toBe(`/orders/${order.id}`);
    expect(placed.headers['etag']).toBe('"1"');
    expect(order).toMatchObject({
      status: 'placed',
      facilityId,
      vendor: 'ASICminer',
      expectedDelivery: '2026-10-31',
      shipments: [],
      version: 1,
      lines: [
        { model: nanoPro, quantity: 13_300, unitPrice: { amount: '3499.00', currency: 'USD' }, shipped: 0 },
        { model: z15, quantity: 20, unitPrice: { amount: '1999.50', currency: 'USD' }, shipped: 0 },
      ],
    });

    const first = await service.call('POST', `/orders/${order.id}/shipments`, {
      body: {
        lines: [
          { model: nanoPro, quantity: 1_300 },
          { model: z15, quantity: 20 },
        ],
        carrier: 'Maersk',
        trackingNumber: 'MSKU1234567',
        eta: '2026-10-31',
      },
      headers: { 'if-match': '"1"' },
    });
    expect(first.status).toBe(201);
    const firstShipment = first.body as ShipmentBody;
    expect(first.headers['location']).toBe(`/shipments/${firstShipment.id}`);
    expect(first.headers['etag']).toBe('"2"');
    expect(firstShipment).toMatchObject({ orderId: order.id, status: 'in_transit', carrier: 'Maersk' });

    const second = await service.call('POST', `/orders/${order.id}/shipments`, {
      body: { lines: [{ model: nanoPro, quantity: 12_000 }], eta: '2026-11-30' },
    });
    expect(second.status).toBe(201);
    const bigShipment = second.body as ShipmentBody;

    const delayed = await service.call('POST', `/shipments/${bigShipment.id}/delay`, {
      body: { eta: '2026-12-15', reason: 'port congestion in Long Beach' },
      headers: { 'if-match': '"3"' },
    });
    expect(delayed.status).toBe(200);
    expect(delayed.headers['etag']).toBe('"4"');
    expect(delayed.body).toMatchObject({ id: bigShipment.id, status: 'delayed', eta: '2026-12-15' });

    // The first shipment arrives in two receipts, one unit damaged.
    const partly = await service.call('POST', `/shipments/${firstShipment.id}/receive`, {
      body: {
        units: [...units(`${runId}-A`, 700), ...units(`${runId}-Z`, 20, z15)],
        damaged: [{ serialNumber: `${runId}-A-DMG`, model: nanoPro, reason: 'fan blade broken' }],
      },
    });
    expect(partly.status).toBe(200);
    expect(partly.body).toMatchObject({
      shipmentId: firstShipment.id,
      orderId: order.id,
      received: 720,
      damaged: 1,
      shipmentStatus: 'partially_received',
      orderStatus: 'partially_received',
    });
    const rest = await service.call('POST', `/shipments/${firstShipment.id}/receive`, {
      body: { units: units(`${runId}-B`, 599) },
    });
    expect(rest.body).toMatchObject({
      received: 599,
      shipmentStatus: 'received',
      orderStatus: 'partially_received',
    });

    // Timing lives in the benchmark (npm run bench); here only the outcome counts.
    const big = await service.call('POST', `/shipments/${bigShipment.id}/receive`, {
      body: { units: units(`${runId}-C`, 12_000) },
    });
    expect(big.status).toBe(200);
    const receipt = big.body as ReceiptBody;
    expect(receipt).toMatchObject({
      shipmentId: bigShipment.id,
      orderId: order.id,
      received: 12_000,
      damaged: 0,
      shipmentStatus: 'received',
      orderStatus: 'fulfilled',
    });
    expect(big.headers['etag']).toBe(`"${receipt.version}"`);
    // 4 events before, 2 + 1 for the first shipment's receipts, 12 parts and the fulfilment.
    expect(receipt.version).toBe(4 + 3 + 13);

    const fetched = await service.call('GET', `/orders/${order.id}`, { as: 'finance' });
    expect(fetched.status).toBe(200);
    expect(fetched.headers['etag']).toBe(`"${receipt.version}"`);
    expect(fetched.body).toMatchObject({
      id: order.id,
      status: 'fulfilled',
      version: receipt.version,
      lines: [
        { model: nanoPro, quantity: 13_300, shipped: 13_300, received: 13_299, damaged: 1, cancelled: 0 },
        { model: z15, quantity: 20, shipped: 20, received: 20, damaged: 0, cancelled: 0 },
      ],
      shipments: [
        { id: firstShipment.id, status: 'received', received: 1_319, damaged: 1 },
        { id: bigShipment.id, status: 'received', received: 12_000, damaged: 0, eta: '2026-12-15' },
      ],
    });
    expect((fetched.body as { fulfilledAt: string | null }).fulfilledAt).not.toBeNull();

    const shipment = await service.call('GET', `/shipments/${bigShipment.id}`, { as: 'operations' });
    expect(shipment.status).toBe(200);
    expect(shipment.headers['etag']).toBe(`"${receipt.version}"`);
    expect(shipment.body).toMatchObject({ id: bigShipment.id, orderId: order.id, received: 12_000 });

    // The whole story is in the event feed, each receipt split into events of at most 1,000 units.
    // On PostgreSQL the feed shows an event once no older transaction anywhere on the server is
    // still open (that is what keeps it gap-free), so other tests' transactions may hold it back.
    const expectedCount = 20;
    let ofOrder: EventPage['items'] = [];
    let events: EventPage['items'] = [];
    for (const deadline = Date.now() + 20_000; ofOrder.length < expectedCount && Date.now() < deadline;) {
      events = [];
      for (let after: string | null = '0'; after !== null;) {
        const page = await service.call('GET', `/events?after=${after}&limit=1000`, { as: 'reports' });
        const body = page.body as EventPage;
        events.push(...body.items);
        after = body.items.length > 0 ? body.nextAfter : null;
      }
      ofOrder = events.filter((event) => event.streamId === `order-${order.id}`);
      if (ofOrder.length < expectedCount) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ofOrder.map((event) => event.type)).toEqual([
      'PurchaseOrderPlaced',
      'ShipmentDispatched',
      'ShipmentDispatched',
      'ShipmentDelayed',
      'ShipmentUnitsReceived',
      'ShipmentUnitsDamaged',
      'ShipmentUnitsReceived',
      ...Array.from({ length: 12 }, () => 'ShipmentUnitsReceived'),
      'PurchaseOrderFulfilled',
    ]);
    const bigParts = ofOrder.filter(
      (event) => (event.data as { receiptId?: string }).receiptId === receipt.receiptId,
    );
    expect(
      bigParts.map((event) => (event.data as { part: number; parts: number; units: unknown[] }).units.length),
    ).toEqual(Array.from({ length: 12 }, () => 1000));
    expect(ofOrder.every((event) => event.facilityId === facilityId)).toBe(true);

    // ... and the relay publishes every one of them to the PROCUREMENT stream.
    const nats = await connectNats({ servers: service.natsUrl, name: 'procurement-test' });
    try {
      const jsm = await jetstreamManager(nats);
      const stream = service.names.streamOf('procurement');
      const deadline = Date.now() + 10_000;
      let messages = 0;
      while (Date.now() < deadline) {
        messages = (await jsm.streams.info(stream)).state.messages;
        if (messages >= events.length) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(messages).toBe(events.length);
    } finally {
      await nats.close();
    }
  });

  const placeOrder = async (body: Partial<{ facilityId: string; quantity: number; vendor: string }> = {}) => {
    const response = await service.call('POST', '/orders', {
      body: {
        facilityId: body.facilityId ?? facilityId,
        vendor: body.vendor ?? 'ASICminer',
        lines: [
          {
            model: nanoPro,
            quantity: body.quantity ?? 10,
            unitPrice: { amount: '3499.00', currency: 'USD' },
          },
        ],
      },
    });
    expect(response.status).toBe(201);
    return response.body as OrderBody;
  };
  const dispatch = async (orderId: string, quantity: number) => {
    const response = await service.call('POST', `/orders/${orderId}/shipments`, {
      body: { lines: [{ model: nanoPro, quantity }], eta: '2026-11-01' },
    });
    expect(response.status).toBe(201);
    return response.body as ShipmentBody;
  };

  it('cancels what is not shipped; the order is fulfilled when the shipped units arrive', async () => {
    const order = await placeOrder({ quantity: 10 });
    const shipment = await dispatch(order.id, 4);
    const cancelled = await service.call('POST', `/orders/${order.id}/cancel`, {
      body: { reason: 'the vendor cannot deliver the rest' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.headers['etag']).toBe('"3"');
    expect(cancelled.body).toMatchObject({
      status: 'shipped',
      lines: [{ model: nanoPro, quantity: 10, shipped: 4, cancelled: 6 }],
    });
    expect((cancelled.body as { cancelledAt: string | null }).cancelledAt).not.toBeNull();

    const again = await service.call('POST', `/orders/${order.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'nothing-to-cancel' });

    const receipt = await service.call('POST', `/shipments/${shipment.id}/receive`, {
      body: { units: units(`${runId}-CX`, 4) },
    });
    expect(receipt.body).toMatchObject({ shipmentStatus: 'received', orderStatus: 'fulfilled' });

    const whole = await placeOrder({ quantity: 3 });
    const wholly = await service.call('POST', `/orders/${whole.id}/cancel`, { body: {} });
    expect(wholly.body).toMatchObject({ status: 'cancelled', lines: [{ cancelled: 3 }] });
    const refused = await service.call('POST', `/orders/${whole.id}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'order-cancelled' });
  });

  it('lists orders newest first, by facility and status, page by page', async () => {
    const facility = `list-${runId}`;
    const placedOrders: OrderBody[] = [];
    for (let index = 0; index < 5; index++)
      placedOrders.push(await placeOrder({ facilityId: facility, quantity: 5 }));
    await dispatch(placedOrders[1].id, 5);
    await dispatch(placedOrders[3].id, 2);

    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = `/orders?facilityId=${facility}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await service.call('GET', query, { as: 'reports' });
      expect(page.status).toBe(200);
      const body = page.body as { items: OrderBody[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      ids.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(ids).toEqual(placedOrders.map((order) => order.id).reverse());
    expect(pages).toBe(3);

    const shipped = await service.call('GET', `/orders?facilityId=${facility}&status=shipped`, {
      as: 'finance',
    });
    expect((shipped.body as { items: OrderBody[] }).items.map((item) => item.id)).toEqual([
      placedOrders[1].id,
    ]);
    const partly = await service.call('GET', `/orders?facilityId=${facility}&status=partially_shipped`);
    expect((partly.body as { items: OrderBody[] }).items.map((item) => item.id)).toEqual([
      placedOrders[3].id,
    ]);
    const listed = (partly.body as { items: Record<string, unknown>[] }).items[0];
    expect(listed).not.toHaveProperty('shipments');

    for (const bad of [
      'status=lost',
      'limit=0',
      'limit=201',
      'limit=ten',
      'cursor=not-a-cursor',
      // Cursors of the right shape whose position no bigint holds: refused before PostgreSQL sees them.
      `cursor=${encodeCursor({ before: '9223372036854775808' })}`,
      `cursor=${encodeCursor({ before: '9999999999999999999' })}`,
      `cursor=${encodeCursor({ before: 'abc' })}`,
      'facilityId=US.TX',
    ]) {
      const response = await service.call('GET', `/orders?${bad}`);
      expect([bad, response.status]).toEqual([bad, 400]);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const largest = await service.call(
      'GET',
      `/orders?facilityId=${facility}&cursor=${encodeCursor({ before: '9223372036854775807' })}`,
    );
    expect(largest.status).toBe(200);
    expect((largest.body as { items: OrderBody[] }).items).toHaveLength(placedOrders.length);
  });

  it('answers a retry under the same Idempotency-Key with the first response, and appends nothing', async () => {
    const key = randomUUID();
    const body = {
      facilityId,
      vendor: 'Bitmain',
      lines: [{ model: z15, quantity: 2, unitPrice: { amount: '1999.00', currency: 'USD' } }],
    };
    const first = await service.call('POST', '/orders', { body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const events = await service.eventCount();

    const retry = await service.call('POST', '/orders', { body, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['location']).toBe(first.headers['location']);
    expect(retry.headers['etag']).toBe(first.headers['etag']);
    expect(retry.headers['idempotent-replayed']).toBe('true');

    const other = await service.call('POST', '/orders', {
      body: { ...body, vendor: 'MicroBT' },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect(await service.eventCount()).toBe(events);

    // A receipt retried after a lost response is not refused as "serials received before".
    const order = first.body as OrderBody;
    const shipment = await service.call('POST', `/orders/${order.id}/shipments`, {
      body: { lines: [{ model: z15, quantity: 2 }], eta: '2026-11-01' },
    });
    const receiptKey = randomUUID();
    const receipt = { units: units(`${runId}-IDEM`, 2, z15) };
    const url = `/shipments/${(shipment.body as ShipmentBody).id}/receive`;
    const received = await service.call('POST', url, {
      body: receipt,
      headers: { 'idempotency-key': receiptKey },
    });
    const replayed = await service.call('POST', url, {
      body: receipt,
      headers: { 'idempotency-key': receiptKey },
    });
    expect(received.status).toBe(200);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual(received.body);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
  });

  it('places one order and dispatches one shipment when a retry follows a lost COMMIT acknowledgement', async () => {
    const store = service.app.get<EventStore>(EVENT_STORE);
    const transaction = store.transaction.bind(store);
    /** Commits, then fails as a connection dropped before the acknowledgement would. */
    async function withLostAcknowledgement<T>(call: () => Promise<T>): Promise<T> {
      store.transaction = async (work) => {
        await transaction(work);
        throw new Error('connection reset after COMMIT');
      };
      try {
        return await call();
      } finally {
        store.transaction = transaction;
      }
    }
    const key = randomUUID();
    const lostAckFacility = `lost-ack-${runId}`;
    const body = {
      facilityId: lostAckFacility,
      vendor: 'Bitmain',
      lines: [{ model: z15, quantity: 4, unitPrice: { amount: '1999.00', currency: 'USD' } }],
    };
    const lost = await withLostAcknowledgement(() =>
      service.call('POST', '/orders', { body, headers: { 'idempotency-key': key } }),
    );
    expect(lost.status).toBe(500);
    const retry = await service.call('POST', '/orders', { body, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const orders = await service.call('GET', `/orders?facilityId=${lostAckFacility}`);
    expect((orders.body as { items: OrderBody[] }).items.map((order) => order.id)).toEqual([
      (retry.body as OrderBody).id,
    ]);

    const orderId = (retry.body as OrderBody).id;
    const shipmentKey = randomUUID();
    const shipment = { lines: [{ model: z15, quantity: 2 }], eta: '2026-11-01' };
    expect(
      (
        await withLostAcknowledgement(() =>
          service.call('POST', `/orders/${orderId}/shipments`, {
            body: shipment,
            headers: { 'idempotency-key': shipmentKey },
          }),
        )
      ).status,
    ).toBe(500);
    const shipped = await service.call('POST', `/orders/${orderId}/shipments`, {
      body: shipment,
      headers: { 'idempotency-key': shipmentKey },
    });
    expect(shipped.status).toBe(201);
    expect(shipped.headers['idempotent-replayed']).toBe('true');
    const after = (await service.call('GET', `/orders/${orderId}`)).body as OrderBody;
    expect(after.shipments.map((dispatched) => dispatched.id)).toEqual([(shipped.body as ShipmentBody).id]);
    expect(after.lines[0].shipped).toBe(2);
  });

  it("honours If-Match on every write to an order, a shipment's writes included", async () => {
    const order = await placeOrder({ quantity: 10 });
    const stale = { 'if-match': '"7"' };
    const refusals = [
      await service.call('POST', `/orders/${order.id}/shipments`, {
        body: { lines: [{ model: nanoPro, quantity: 1 }], eta: '2026-11-01' },
        headers: stale,
      }),
      await service.call('POST', `/orders/${order.id}/cancel`, { headers: stale }),
    ];
    const shipment = await dispatch(order.id, 5);
    refusals.push(
      await service.call('POST', `/shipments/${shipment.id}/delay`, {
        body: { eta: '2026-12-01', reason: 'storm' },
        headers: stale,
      }),
      await service.call('POST', `/shipments/${shipment.id}/receive`, {
        body: { units: units(`${runId}-IFM`, 1) },
        headers: stale,
      }),
    );
    for (const refused of refusals) {
      expect(refused.status).toBe(412);
      expect(refused.body).toMatchObject({ code: 'version-mismatch' });
    }
    const malformed = await service.call('POST', `/orders/${order.id}/cancel`, {
      headers: { 'if-match': 'seven' },
    });
    expect(malformed.status).toBe(400);

    const current = await service.call('POST', `/shipments/${shipment.id}/receive`, {
      body: { units: units(`${runId}-IFM`, 1) },
      headers: { 'if-match': '"2"' },
    });
    expect(current.status).toBe(200);
    expect(current.headers['etag']).toBe('"3"');
  });

  it('admits procurement (and admin) to writes and every team to reads', async () => {
    const order = await placeOrder();
    for (const role of ['operations', 'finance', 'reports'] as const) {
      const write = await service.call('POST', `/orders/${order.id}/cancel`, { as: role });
      expect([role, write.status]).toEqual([role, 403]);
      const read = await service.call('GET', `/orders/${order.id}`, { as: role });
      expect([role, read.status]).toEqual([role, 200]);
    }
    expect((await service.call('GET', `/orders/${order.id}`, { as: null })).status).toBe(401);
    expect((await service.call('POST', '/orders', { as: null, body: {} })).status).toBe(401);
    expect((await service.call('POST', `/orders/${order.id}/cancel`, { as: 'admin' })).status).toBe(200);
  });

  it('answers unknown orders and shipments with 404', async () => {
    for (const url of [`/orders/${randomUUID()}`, `/shipments/${randomUUID()}`]) {
      const response = await service.call('GET', url);
      expect([url, response.status]).toEqual([url, 404]);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('documents every route with its body and response in the OpenAPI document', async () => {
    const docs = await service.call('GET', '/docs-json', { as: null });
    expect(docs.status).toBe(200);
    const paths = (
      docs.body as {
        paths: Record<
          string,
          Record<string, { requestBody?: unknown; responses: Record<string, { content?: unknown }> }>
        >;
      }
    ).paths;
    const routes: [string, string, string][] = [
      ['/orders', 'post', '201'],
      ['/orders', 'get', '200'],
      ['/orders/{id}', 'get', '200'],
      ['/orders/{id}/shipments', 'post', '201'],
      ['/orders/{id}/cancel', 'post', '200'],
      ['/shipments/{id}', 'get', '200'],
      ['/shipments/{id}/delay', 'post', '200'],
      ['/shipments/{id}/receive', 'post', '200'],
    ];
    for (const [path, method, status] of routes) {
      const operation = paths[path]?.[method];
      expect({ path, method, documented: operation?.responses[status]?.content !== undefined }).toEqual({
        path,
        method,
        documented: true,
      });
      if (method === 'post' && path !== '/orders/{id}/cancel') expect(operation?.requestBody).toBeDefined();
    }
  });
});
