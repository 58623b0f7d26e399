import { randomUUID } from 'node:crypto';
import { PROCUREMENT_EVENTS, schemaVersionsOf } from '@fleet/contracts';
import {
  createEventStore,
  handleCommand,
  loadAggregate,
  UniquenessViolationError,
  type EventMetadata,
  type EventStore,
} from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import { PROCUREMENT_MIGRATIONS } from '../../migrations';
import type { OrderCommand } from '../domain/order.commands';
import { orderDecider, orderSnapshots, orderStreamId, orderStreamOf } from '../domain/order.decider';
import { OrderEntity } from './order.entity';
import { OrdersProjection } from './orders.projection';
import { ReceivedSerialEntity } from './received-serial.entity';
import { ReceivedSerialsProjection } from './received-serials.projection';
import { ShipmentEntity } from './shipment.entity';
import { ShipmentsProjection } from './shipments.projection';

const facilityId = 'us-tx-01';
const nanoPro = 'asicminer-8-nano-pro';
const z15 = 'bitmain-antminer-z15';
const usd = (amount: string) => ({ amount, currency: 'USD' });
const serials = (prefix: string, count: number, model = nanoPro) =>
  Array.from({ length: count }, (_, index) => ({ serialNumber: `${prefix}-${index + 1}`, model }));

describe.each(TEST_DRIVERS)('procurement read model on %s', (driver) => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase(driver, {
      entities: [OrderEntity, ShipmentEntity, ReceivedSerialEntity],
      migrations: PROCUREMENT_MIGRATIONS,
    });
    store = createEventStore(database.dataSource, {
      schemaVersions: schemaVersionsOf(PROCUREMENT_EVENTS),
      projections: [ReceivedSerialsProjection, OrdersProjection, ShipmentsProjection],
    });
  });
  afterAll(() => database?.dispose());

  const metadata = (at = new Date()): EventMetadata => ({
    correlationId: randomUUID(),
    causationId: null,
    actor: 'procurement:test',
    facilityId,
    occurredAt: at.toISOString(),
  });
  const run = (command: OrderCommand, ifMatchVersion?: number) =>
    handleCommand(store, orderDecider, command, {
      ...orderStreamOf(command),
      metadata: metadata(),
      ifMatchVersion,
    });
  const placeOrder = async (lines: { model: string; quantity: number }[]) => {
    const orderId = randomUUID();
    await run({
      type: 'PlaceOrder',
      data: {
        orderId,
        facilityId,
        vendor: 'ASICminer',
        lines: lines.map((line) => ({ ...line, unitPrice: usd('3499.00') })),
      },
    });
    return orderId;
  };
  const dispatch = async (
    orderId: string,
    lines: { model: string; quantity: number }[],
    eta = '2026-10-31',
  ) => {
    const shipmentId = randomUUID();
    await run({ type: 'DispatchShipment', data: { orderId, shipmentId, lines, eta, carrier: 'Maersk' } });
    return shipmentId;
  };
  const receive = (
    orderId: string,
    shipmentId: string,
    units: { serialNumber: string; model: string }[],
    damaged: { serialNumber: string; model: string; reason: string }[] = [],
  ) =>
    run({
      type: 'ReceiveShipment',
      data: {
        orderId,
        shipmentId,
        receiptId: randomUUID(),
        units,
        damaged,
        receivedAt: new Date().toISOString(),
      },
    });
  const orderRow = (id: string) => database.dataSource.manager.findOneByOrFail(OrderEntity, { id });
  const shipmentRow = (id: string) => database.dataSource.manager.findOneByOrFail(ShipmentEntity, { id });
  const serialCount = (where: { orderId?: string } = {}) =>
    database.dataSource.manager.countBy(ReceivedSerialEntity, where);

  it('leaves, after its migration, exactly the schema the entities describe', async () => {
    const pending = await database.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('follows an order from placement through shipments, a delay and receipts to fulfilment', async () => {
    const orderId = await placeOrder([
      { model: nanoPro, quantity: 6 },
      { model: z15, quantity: 2 },
    ]);
    expect(await orderRow(orderId)).toMatchObject({
      status: 'placed',
      facilityId,
      vendor: 'ASICminer',
      expectedDelivery: null,
      version: 1,
      lines: [
        {
          model: nanoPro,
          quantity: 6,
          unitPrice: usd('3499.00'),
          shipped: 0,
          received: 0,
          damaged: 0,
          cancelled: 0,
        },
        {
          model: z15,
          quantity: 2,
          unitPrice: usd('3499.00'),
          shipped: 0,
          received: 0,
          damaged: 0,
          cancelled: 0,
        },
      ],
    });

    const first = await dispatch(orderId, [
      { model: nanoPro, quantity: 4 },
      { model: z15, quantity: 2 },
    ]);
    const second = await dispatch(orderId, [{ model: nanoPro, quantity: 2 }], '2026-11-15');
    expect((await orderRow(orderId)).status).toBe('shipped');
    await run({
      type: 'DelayShipment',
      data: { orderId, shipmentId: second, eta: '2026-11-20', reason: 'customs' },
    });
    expect(await shipmentRow(second)).toMatchObject({ status: 'delayed', eta: '2026-11-20', orderId });

    await receive(orderId, first, serials('A', 3), [
      { serialNumber: 'A-dmg', model: z15, reason: 'cracked' },
    ]);
    expect(await shipmentRow(first)).toMatchObject({
      status: 'partially_received',
      received: 3,
      damaged: 1,
      carrier: 'Maersk',
      trackingNumber: null,
      lines: [
        { model: nanoPro, quantity: 4, received: 3, damaged: 0 },
        { model: z15, quantity: 2, received: 0, damaged: 1 },
      ],
    });
    expect(await orderRow(orderId)).toMatchObject({ status: 'partially_received', version: 6 });

    await receive(orderId, first, [...serials('B', 1), ...serials('B-z', 1, z15)]);
    const result = await receive(orderId, second, serials('C', 2));
    expect(result.events.map((event) => event.type)).toEqual([
      'ShipmentUnitsReceived',
      'PurchaseOrderFulfilled',
    ]);

    const order = await orderRow(orderId);
    expect(order).toMatchObject({ status: 'fulfilled', version: 9 });
    expect(order.fulfilledAt).not.toBeNull();
    expect(
      order.lines.map(({ model, shipped, received, damaged }) => ({ model, shipped, received, damaged })),
    ).toEqual([
      { model: nanoPro, shipped: 6, received: 6, damaged: 0 },
      { model: z15, shipped: 2, received: 1, damaged: 1 },
    ]);
    expect((await shipmentRow(second)).status).toBe('received');
    expect(await serialCount({ orderId })).toBe(8);
  });

  it('records a cancellation on the lines and in the status', async () => {
    const orderId = await placeOrder([{ model: nanoPro, quantity: 10 }]);
    await dispatch(orderId, [{ model: nanoPro, quantity: 4 }]);
    await run({
      type: 'CancelOrder',
      data: { orderId, reason: 'budget', cancelledAt: new Date().toISOString() },
    });
    const order = await orderRow(orderId);
    expect(order).toMatchObject({ status: 'shipped', version: 3 });
    expect(order.cancelledAt).not.toBeNull();
    expect(order.lines[0]).toMatchObject({ quantity: 10, shipped: 4, cancelled: 6 });
  });

  it('takes a 12,000-unit receipt in one append: 12,000 serial rows, one order row', async () => {
    const orderId = await placeOrder([{ model: nanoPro, quantity: 12_000 }]);
    const shipmentId = await dispatch(orderId, [{ model: nanoPro, quantity: 12_000 }]);
    const result = await receive(orderId, shipmentId, serials(`BIG-${driver}`, 12_000));

    expect(result.events).toHaveLength(13);
    expect(result.events.at(-1)?.type).toBe('PurchaseOrderFulfilled');
    expect(await serialCount({ orderId })).toBe(12_000);
    expect(await database.dataSource.manager.countBy(OrderEntity, { id: orderId })).toBe(1);
    expect(await orderRow(orderId)).toMatchObject({ status: 'fulfilled', version: 15 });
    expect(await shipmentRow(shipmentId)).toMatchObject({ status: 'received', received: 12_000 });
  });

  it('refuses serials received before, in any order, naming each of them, and records nothing', async () => {
    const firstOrder = await placeOrder([{ model: nanoPro, quantity: 5 }]);
    const firstShipment = await dispatch(firstOrder, [{ model: nanoPro, quantity: 5 }]);
    await receive(firstOrder, firstShipment, serials('DUP', 3));

    const orderId = await placeOrder([{ model: nanoPro, quantity: 5 }]);
    const shipmentId = await dispatch(orderId, [{ model: nanoPro, quantity: 5 }]);
    const before = await store.readStream(orderStreamId(orderId));
    const error = await receive(
      orderId,
      shipmentId,
      [{ serialNumber: 'NEW-1', model: nanoPro }, ...serials('DUP', 1)],
      [{ serialNumber: 'DUP-3', model: nanoPro, reason: 'wet' }],
    ).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(UniquenessViolationError);
    expect((error as UniquenessViolationError).details).toEqual({ serials: ['DUP-1', 'DUP-3'] });
    expect((await store.readStream(orderStreamId(orderId))).version).toBe(before.version);
    expect(await serialCount({ orderId })).toBe(0);
    expect(await shipmentRow(shipmentId)).toMatchObject({ status: 'in_transit', received: 0, damaged: 0 });
  });

  it('lets exactly one of two racing receipts with the same serial through', async () => {
    const orders = await Promise.all([
      placeOrder([{ model: nanoPro, quantity: 2 }]),
      placeOrder([{ model: nanoPro, quantity: 2 }]),
    ]);
    const shipments = await Promise.all(
      orders.map((orderId) => dispatch(orderId, [{ model: nanoPro, quantity: 2 }])),
    );
    const outcomes = await Promise.allSettled(
      orders.map((orderId, index) =>
        receive(orderId, shipments[index], [
          { serialNumber: `RACE-${driver}`, model: nanoPro },
          { serialNumber: `RACE-${driver}-${index}`, model: nanoPro },
        ]),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [refused] = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(UniquenessViolationError);
    const counts = await Promise.all(orders.map((orderId) => serialCount({ orderId })));
    expect(counts.sort()).toEqual([0, 2]);
  });

  it('snapshots long order streams; the snapshot plus the tail equals a full replay', async () => {
    const orderId = await placeOrder([{ model: nanoPro, quantity: 200 }]);
    const shipmentId = await dispatch(orderId, [{ model: nanoPro, quantity: 200 }]);
    for (let receipt = 0; receipt < 60; receipt++)
      await receive(orderId, shipmentId, serials(`SNAP-${receipt}`, 1));

    const streamId = orderStreamId(orderId);
    const snapshot = await store.loadSnapshot(streamId, orderSnapshots.schemaVersion);
    expect(snapshot?.version).toBe(50);
    const fromSnapshot = await loadAggregate(store, orderDecider, streamId, orderSnapshots);
    const replayed = await loadAggregate(store, orderDecider, streamId);
    expect(fromSnapshot).toEqual(replayed);
    expect(replayed.version).toBe(62);
  });
});
