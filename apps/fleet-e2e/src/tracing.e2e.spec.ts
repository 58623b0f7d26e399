import { API_KEYS, call, eventually, Fleet } from './support/fleet';
import { facilityTotal } from './support/inventory-reads';
import { OtlpReceiver, OtlpSpanKind, type ReceivedSpan } from './support/otlp-receiver';
import { serials } from './support/serials';

const MODEL = 'asicminer-8-nano-pro';
const UNITS = 10;

/**
 * Both services export to an OTLP endpoint of the test's own (set by the standard
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, nothing else): one receipt is one trace, from procurement's
 * request through its outbox relay and NATS to inventory's consumer and the rigs it registers.
 */
describe('tracing across services', () => {
  let receiver: OtlpReceiver;
  let fleet: Fleet;
  const facilityId = `e2e-trace-${Date.now().toString(36)}`;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    fleet = await Fleet.start('sqlite', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      // The SDK's own setting: export every 100 ms rather than every 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
  });

  afterAll(async () => {
    await fleet?.dispose();
    await receiver?.stop();
  });

  it("makes inventory's handling of a receipt part of the receipt request's trace", async () => {
    const placed = await call<{ id: string }>(
      fleet.procurement,
      'POST',
      '/orders',
      {
        facilityId,
        vendor: 'ASICminer',
        lines: [{ model: MODEL, quantity: UNITS, unitPrice: { amount: '3499.00', currency: 'USD' } }],
        expectedDelivery: '2026-10-31',
      },
      { key: API_KEYS.procurement },
    );
    expect(placed.status).toBe(201);
    const shipment = await call<{ id: string }>(
      fleet.procurement,
      'POST',
      `/orders/${placed.body.id}/shipments`,
      { lines: [{ model: MODEL, quantity: UNITS }], carrier: 'DHL', eta: '2026-11-15' },
      { key: API_KEYS.procurement },
    );
    expect(shipment.status).toBe(201);
    const receipt = await call(
      fleet.procurement,
      'POST',
      `/shipments/${shipment.body.id}/receive`,
      { units: serials(facilityId, UNITS).map((serialNumber) => ({ serialNumber, model: MODEL })) },
      { key: API_KEYS.procurement },
    );
    expect([200, 201]).toContain(receipt.status);
    await eventually(
      async () => ((await facilityTotal(fleet.inventory, facilityId)) === UNITS ? true : undefined),
      30_000,
      () => `inventory never listed ${UNITS} rigs`,
    );

    const spans = receiver.spans;
    const spanById = (spanId: string | undefined) => spans.find((span) => span.spanId === spanId);
    const describeSpans = () =>
      spans
        .map((span) => `${span.service} ${span.name} ${span.traceId}/${span.spanId}<-${span.parentSpanId}`)
        .join('\n');
    const receive = await eventually(
      async () =>
        spans.find(
          (span) =>
            span.service === 'procurement' &&
            span.kind === OtlpSpanKind.server &&
            span.name === 'POST /shipments/:id/receive',
        ),
      10_000,
      () => `no span of procurement's receive request among:\n${describeSpans()}`,
    );
    // Inventory's rigs are appended, and their span exported, once its consumer span has ended.
    const rigAppend = await eventually(
      async () =>
        spans.find(
          (span) =>
            span.service === 'inventory' && span.traceId === receive.traceId && span.name === 'rig append',
        ),
      10_000,
      () => `no rig append of inventory in the receipt's trace ${receive.traceId} among:\n${describeSpans()}`,
    );

    const consume = spanById(rigAppend.parentSpanId) as ReceivedSpan;
    expect(consume).toMatchObject({
      service: 'inventory',
      kind: OtlpSpanKind.consumer,
      name: `process fleet.procurement.${facilityId}.ShipmentUnitsReceived`,
      traceId: receive.traceId,
    });
    expect(consume.attributes).toMatchObject({
      'messaging.consumer.group.name': 'inventory-ShipmentUnitsReceived',
      'fleet.nats.redelivery_count': 0,
      'fleet.consumer.outcome': 'handled',
    });
    const publish = spanById(consume.parentSpanId) as ReceivedSpan;
    expect(publish).toMatchObject({
      service: 'procurement',
      kind: OtlpSpanKind.producer,
      traceId: receive.traceId,
      attributes: expect.objectContaining({ 'fleet.event.type': 'ShipmentUnitsReceived' }),
    });
    const receiptAppend = spanById(publish.parentSpanId) as ReceivedSpan;
    expect(receiptAppend).toMatchObject({ service: 'procurement', kind: OtlpSpanKind.internal });
    expect(receiptAppend.name).toMatch(/append$/);
    expect(receiptAppend.attributes['fleet.event.types']).toContain('ShipmentUnitsReceived');
    expect(receiptAppend.parentSpanId).toBe(receive.spanId);
    expect(rigAppend.attributes).toMatchObject({
      'fleet.event.count': UNITS,
      'fleet.event.types': ['RigRegistered'],
    });
  });
});
