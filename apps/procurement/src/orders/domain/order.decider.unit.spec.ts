import { DamagedUnit, ShipmentUnitsDamaged, type ProcurementEvent } from '@fleet/contracts';
import { encodeEnvelope } from '@fleet/messaging';
import { replay } from '@fleet/event-sourcing';
import { deciderSpec } from '@fleet/event-sourcing/testing';
import type { OrderCommand, ReceiveShipment } from './order.commands';
import { orderDecider } from './order.decider';
import type { OrderState, PurchaseOrder } from './order.state';

const spec = deciderSpec(orderDecider);

const orderId = '6f1c1d58-2a3b-4c5d-8e9f-0a1b2c3d4e5f';
const shipmentA = '11111111-1111-4111-8111-111111111111';
const shipmentB = '22222222-2222-4222-8222-222222222222';
const receiptId = '33333333-3333-4333-8333-333333333333';
const facilityId = 'us-tx-01';
const nanoPro = 'asicminer-8-nano-pro';
const z15 = 'bitmain-antminer-z15';
const at = '2026-11-02T10:00:00.000Z';

const units = (model: string, count: number, prefix = model) =>
  Array.from({ length: count }, (_, index) => ({ serialNumber: `${prefix}-${index + 1}`, model }));
const damagedUnits = (model: string, count: number, prefix = `${model}-dmg`) =>
  units(model, count, prefix).map((unit) => ({ ...unit, reason: 'crushed in transit' }));

const placed: ProcurementEvent = {
  type: 'PurchaseOrderPlaced',
  data: {
    orderId,
    facilityId,
    vendor: 'ASICminer',
    lines: [
      { model: nanoPro, quantity: 10, unitPrice: { amount: '3499.00', currency: 'USD' } },
      { model: z15, quantity: 4, unitPrice: { amount: '1999.00', currency: 'USD' } },
    ],
    expectedDelivery: '2026-10-31',
  },
};
const dispatched = (
  shipmentId: string,
  lines: { model: string; quantity: number }[],
  eta = '2026-10-20',
): ProcurementEvent => ({
  type: 'ShipmentDispatched',
  data: { shipmentId, orderId, facilityId, lines, eta },
});
const shippedA = dispatched(shipmentA, [
  { model: nanoPro, quantity: 6 },
  { model: z15, quantity: 4 },
]);
const shippedB = dispatched(shipmentB, [{ model: nanoPro, quantity: 4 }], '2026-11-15');
const received = (
  shipmentId: string,
  list: ReturnType<typeof units>,
  part = 1,
  parts = 1,
  receipt = receiptId,
): ProcurementEvent => ({
  type: 'ShipmentUnitsReceived',
  data: { shipmentId, orderId, facilityId, receiptId: receipt, part, parts, units: list },
});
const damaged = (shipmentId: string, list: ReturnType<typeof damagedUnits>): ProcurementEvent => ({
  type: 'ShipmentUnitsDamaged',
  data: { shipmentId, orderId, facilityId, receiptId, part: 1, parts: 1, units: list },
});

const receive = (
  shipmentId: string,
  list: ReturnType<typeof units>,
  damagedList: ReturnType<typeof damagedUnits> = [],
): ReceiveShipment => ({
  type: 'ReceiveShipment',
  data: { orderId, shipmentId, receiptId, units: list, damaged: damagedList, receivedAt: at },
});

const stateAfter = (events: readonly ProcurementEvent[]): PurchaseOrder => {
  const state: OrderState = replay(orderDecider, events);
  if (state.status === 'none') throw new Error('no order');
  return state;
};

describe('order decider', () => {
  describe('PlaceOrder', () => {
    const place: OrderCommand = {
      type: 'PlaceOrder',
      data: {
        orderId,
        facilityId,
        vendor: 'ASICminer',
        lines: [
          { model: nanoPro, quantity: 10, unitPrice: { amount: '3499.00', currency: 'USD' } },
          { model: z15, quantity: 4, unitPrice: { amount: '1999.00', currency: 'USD' } },
        ],
        expectedDelivery: '2026-10-31',
      },
    };

    it('places an order', () => {
      spec.given([]).when(place).then([placed]);
    });

    it('leaves out an expected delivery that was not given', () => {
      const [event] = spec
        .given([])
        .when({ ...place, data: { ...place.data, expectedDelivery: undefined } })
        .thenReturns();
      expect(event.data).not.toHaveProperty('expectedDelivery');
    });

    it('refuses to place an order twice', () => {
      spec.given([placed]).when(place).thenThrows('conflict', 'order-already-exists');
    });

    it('refuses a model on two lines', () => {
      const error = spec
        .given([])
        .when({ ...place, data: { ...place.data, lines: [place.data.lines[0], place.data.lines[0]] } })
        .thenThrows('invalid', 'duplicate-order-lines');
      expect(error.details).toEqual({ models: [nanoPro] });
    });
  });

  describe('DispatchShipment', () => {
    const dispatch = (
      lines: { model: string; quantity: number }[],
      shipmentId = shipmentA,
    ): OrderCommand => ({
      type: 'DispatchShipment',
      data: { orderId, shipmentId, lines, carrier: 'DHL', trackingNumber: 'JD0001', eta: '2026-10-20' },
    });

    it('ships part of an order', () => {
      spec
        .given([placed])
        .when(dispatch([{ model: nanoPro, quantity: 6 }]))
        .then([
          {
            type: 'ShipmentDispatched',
            data: {
              shipmentId: shipmentA,
              orderId,
              facilityId,
              lines: [{ model: nanoPro, quantity: 6 }],
              carrier: 'DHL',
              trackingNumber: 'JD0001',
              eta: '2026-10-20',
            },
          },
        ]);
    });

    it('refuses an order that does not exist', () => {
      spec
        .given([])
        .when(dispatch([{ model: nanoPro, quantity: 1 }]))
        .thenThrows('not_found', 'order-not-found');
    });

    it('refuses a model the order does not have', () => {
      const error = spec
        .given([placed])
        .when(dispatch([{ model: 'bitmain-antminer-s21', quantity: 1 }]))
        .thenThrows('conflict', 'model-not-ordered');
      expect(error.details).toEqual({ models: ['bitmain-antminer-s21'] });
    });

    it('refuses more than is ordered and not yet shipped', () => {
      const error = spec
        .given([placed, shippedA])
        .when(dispatch([{ model: nanoPro, quantity: 5 }], shipmentB))
        .thenThrows('conflict', 'shipment-exceeds-order');
      expect(error.details).toEqual({ lines: [{ model: nanoPro, requested: 5, outstanding: 4 }] });
    });

    it('ships exactly what is outstanding', () => {
      const [event] = spec
        .given([placed, shippedA])
        .when(dispatch([{ model: nanoPro, quantity: 4 }], shipmentB))
        .thenReturns();
      expect(event.type).toBe('ShipmentDispatched');
    });

    it('refuses units that were cancelled', () => {
      const cancelled: ProcurementEvent = {
        type: 'PurchaseOrderCancelled',
        data: { orderId, facilityId, cancelledLines: [{ model: nanoPro, quantity: 4 }] },
      };
      spec
        .given([placed, shippedA, cancelled])
        .when(dispatch([{ model: nanoPro, quantity: 1 }], shipmentB))
        .thenThrows('conflict', 'shipment-exceeds-order');
    });

    it('refuses an order cancelled before anything shipped', () => {
      const cancelled: ProcurementEvent = {
        type: 'PurchaseOrderCancelled',
        data: {
          orderId,
          facilityId,
          cancelledLines: [
            { model: nanoPro, quantity: 10 },
            { model: z15, quantity: 4 },
          ],
        },
      };
      spec
        .given([placed, cancelled])
        .when(dispatch([{ model: nanoPro, quantity: 1 }]))
        .thenThrows('conflict', 'order-cancelled');
    });

    it('refuses a shipment id used before', () => {
      spec
        .given([placed, shippedA])
        .when(dispatch([{ model: nanoPro, quantity: 1 }]))
        .thenThrows('conflict', 'shipment-already-exists');
    });

    it('refuses a model on two lines', () => {
      spec
        .given([placed])
        .when(
          dispatch([
            { model: nanoPro, quantity: 1 },
            { model: nanoPro, quantity: 2 },
          ]),
        )
        .thenThrows('invalid', 'duplicate-shipment-lines');
    });
  });

  describe('DelayShipment', () => {
    const delay = (eta: string, shipmentId = shipmentA): OrderCommand => ({
      type: 'DelayShipment',
      data: { orderId, shipmentId, eta, reason: 'port congestion' },
    });

    it('moves the ETA later', () => {
      spec
        .given([placed, shippedA])
        .when(delay('2026-10-27'))
        .then([
          {
            type: 'ShipmentDelayed',
            data: {
              shipmentId: shipmentA,
              orderId,
              facilityId,
              previousEta: '2026-10-20',
              eta: '2026-10-27',
              reason: 'port congestion',
            },
          },
        ]);
    });

    it('refuses the same or an earlier ETA', () => {
      spec.given([placed, shippedA]).when(delay('2026-10-20')).thenThrows('conflict', 'eta-not-later');
      spec.given([placed, shippedA]).when(delay('2026-10-19')).thenThrows('conflict', 'eta-not-later');
    });

    it('compares with the latest ETA, not the first', () => {
      const delayed: ProcurementEvent = {
        type: 'ShipmentDelayed',
        data: {
          shipmentId: shipmentA,
          orderId,
          facilityId,
          previousEta: '2026-10-20',
          eta: '2026-10-27',
          reason: 'port congestion',
        },
      };
      spec
        .given([placed, shippedA, delayed])
        .when(delay('2026-10-25'))
        .thenThrows('conflict', 'eta-not-later');
    });

    it('delays a partly received shipment', () => {
      const [event] = spec
        .given([placed, shippedA, received(shipmentA, units(nanoPro, 2))])
        .when(delay('2026-10-27'))
        .thenReturns();
      expect(event.type).toBe('ShipmentDelayed');
    });

    it('refuses a shipment that is fully received', () => {
      spec
        .given([placed, shippedA, received(shipmentA, [...units(nanoPro, 6), ...units(z15, 4)])])
        .when(delay('2026-10-27'))
        .thenThrows('conflict', 'shipment-already-received');
    });

    it('refuses a shipment the order does not have', () => {
      spec
        .given([placed, shippedA])
        .when(delay('2026-10-27', shipmentB))
        .thenThrows('not_found', 'shipment-not-found');
    });

    it('refuses an order that does not exist', () => {
      spec.given([]).when(delay('2026-10-27')).thenThrows('not_found', 'order-not-found');
    });
  });

  describe('ReceiveShipment', () => {
    it('records the units received', () => {
      spec
        .given([placed, shippedA])
        .when(receive(shipmentA, units(nanoPro, 3)))
        .then([received(shipmentA, units(nanoPro, 3))]);
    });

    it('records damaged units apart from the received ones, under the same receipt', () => {
      spec
        .given([placed, shippedA])
        .when(receive(shipmentA, units(nanoPro, 3), damagedUnits(nanoPro, 1)))
        .then([received(shipmentA, units(nanoPro, 3)), damaged(shipmentA, damagedUnits(nanoPro, 1))]);
    });

    it('splits a large receipt into events of at most 1,000 units', () => {
      const big: ProcurementEvent = {
        type: 'PurchaseOrderPlaced',
        data: {
          orderId,
          facilityId,
          vendor: 'ASICminer',
          lines: [{ model: nanoPro, quantity: 4000, unitPrice: { amount: '3499.00', currency: 'USD' } }],
        },
      };
      const shipped = dispatched(shipmentA, [{ model: nanoPro, quantity: 4000 }]);
      const good = units(nanoPro, 2500);
      const bad = damagedUnits(nanoPro, 1200);
      const events = spec
        .given([big, shipped])
        .when(receive(shipmentA, good, bad))
        .thenReturns();
      expect(events.map((event) => event.type)).toEqual([
        'ShipmentUnitsReceived',
        'ShipmentUnitsReceived',
        'ShipmentUnitsReceived',
        'ShipmentUnitsDamaged',
        'ShipmentUnitsDamaged',
      ]);
      const parts = events.map((event) => {
        const data = event.data as { part: number; parts: number; receiptId: string; units: unknown[] };
        return [data.part, data.parts, data.units.length, data.receiptId];
      });
      expect(parts).toEqual([
        [1, 3, 1000, receiptId],
        [2, 3, 1000, receiptId],
        [3, 3, 500, receiptId],
        [1, 2, 1000, receiptId],
        [2, 2, 200, receiptId],
      ]);
      const all = events.flatMap((event) => (event.data as { units: { serialNumber: string }[] }).units);
      expect(all.map((unit) => unit.serialNumber)).toEqual(
        [...good, ...bad].map((unit) => unit.serialNumber),
      );
    });

    it.each([
      ['quotes', '"'],
      ['control characters', '\u0001'],
      ['quotes and multi-byte characters', '"€😀\\ü'],
    ])(
      'keeps every event of 1,000 damaged units with 500-character reasons of %s far below 1 MiB',
      (_, pattern) => {
        const big: ProcurementEvent = {
          type: 'PurchaseOrderPlaced',
          data: {
            orderId,
            facilityId,
            vendor: 'ASICminer',
            lines: [{ model: nanoPro, quantity: 1000, unitPrice: { amount: '3499.00', currency: 'USD' } }],
          },
        };
        const shipped = dispatched(shipmentA, [{ model: nanoPro, quantity: 1000 }]);
        const reason = pattern.repeat(500).slice(0, 500);
        const bad = units(nanoPro, 1000, 'X'.repeat(58)).map((unit) => ({ ...unit, reason }));
        expect(DamagedUnit.array().parse(bad)).toHaveLength(1000);

        const events = spec
          .given([big, shipped])
          .when(receive(shipmentA, [], bad))
          .thenReturns();

        const parts = events.filter((event) => event.type === 'ShipmentUnitsDamaged');
        expect(parts.length).toBeGreaterThan(1);
        parts.forEach((event, index) => {
          expect(ShipmentUnitsDamaged.schema.parse(event.data)).toMatchObject({
            part: index + 1,
            parts: parts.length,
          });
          const envelope = {
            eventId: '44444444-4444-4444-8444-444444444444',
            type: event.type,
            schemaVersion: 1,
            streamId: `order-${orderId}`,
            streamVersion: 1_000_000,
            position: '9223372036854775807',
            occurredAt: at,
            facilityId,
            actor: 'a'.repeat(200),
            correlationId: 'c'.repeat(200),
            causationId: 'c'.repeat(200),
            data: event.data,
          };
          expect(encodeEnvelope(envelope).byteLength).toBeLessThan(600 * 1024);
        });
        const all = parts.flatMap((event) => (event.data as { units: { serialNumber: string }[] }).units);
        expect(all.map((unit) => unit.serialNumber)).toEqual(bad.map((unit) => unit.serialNumber));
      },
    );

    it('refuses more units of a model than the shipment carries', () => {
      const error = spec
        .given([placed, shippedA])
        .when(receive(shipmentA, units(nanoPro, 7)))
        .thenThrows('conflict', 'receipt-exceeds-shipment');
      expect(error.details).toEqual({
        lines: [{ model: nanoPro, shipped: 6, alreadyReceived: 0, attempted: 7 }],
      });
    });

    it('counts earlier receipts, received and damaged, against the shipment', () => {
      const error = spec
        .given([
          placed,
          shippedA,
          received(shipmentA, units(nanoPro, 3)),
          damaged(shipmentA, damagedUnits(nanoPro, 2)),
        ])
        .when(receive(shipmentA, units(nanoPro, 1, 'late'), damagedUnits(nanoPro, 1, 'late-dmg')))
        .thenThrows('conflict', 'receipt-exceeds-shipment');
      expect(error.details).toEqual({
        lines: [{ model: nanoPro, shipped: 6, alreadyReceived: 5, attempted: 2 }],
      });
    });

    it('refuses a model the shipment does not carry, even one the order has', () => {
      const error = spec
        .given([placed, shippedB])
        .when(receive(shipmentB, units(z15, 1)))
        .thenThrows('conflict', 'model-not-on-shipment');
      expect(error.details).toEqual({ models: [z15] });
    });

    it('refuses a serial number twice in one receipt, listing each repeated serial', () => {
      const error = spec
        .given([placed, shippedA])
        .when(
          receive(
            shipmentA,
            [...units(nanoPro, 3), { serialNumber: `${nanoPro}-2`, model: nanoPro }],
            [{ serialNumber: `${nanoPro}-3`, model: nanoPro, reason: 'dented' }],
          ),
        )
        .thenThrows('invalid', 'duplicate-serials');
      expect(error.details).toEqual({ serials: [`${nanoPro}-2`, `${nanoPro}-3`] });
    });

    it('refuses an empty receipt', () => {
      spec.given([placed, shippedA]).when(receive(shipmentA, [])).thenThrows('invalid', 'empty-receipt');
    });

    it('refuses a shipment the order does not have', () => {
      spec
        .given([placed, shippedA])
        .when(receive(shipmentB, units(nanoPro, 1)))
        .thenThrows('not_found', 'shipment-not-found');
    });

    it('fulfils the order with the receipt that accounts for the last awaited unit', () => {
      spec
        .given([placed, shippedA, shippedB, received(shipmentA, [...units(nanoPro, 6), ...units(z15, 4)])])
        .when(receive(shipmentB, units(nanoPro, 3, 'b'), damagedUnits(nanoPro, 1, 'b-dmg')))
        .then([
          received(shipmentB, units(nanoPro, 3, 'b')),
          damaged(shipmentB, damagedUnits(nanoPro, 1, 'b-dmg')),
          {
            type: 'PurchaseOrderFulfilled',
            data: { orderId, facilityId, received: 13, damaged: 1, fulfilledAt: at },
          },
        ]);
    });

    it('does not fulfil while units are still awaited', () => {
      const events = spec
        .given([placed, shippedA, shippedB])
        .when(receive(shipmentA, [...units(nanoPro, 6), ...units(z15, 4)]))
        .thenReturns();
      expect(events.map((event) => event.type)).toEqual(['ShipmentUnitsReceived']);
    });
  });

  describe('CancelOrder', () => {
    const cancel: OrderCommand = {
      type: 'CancelOrder',
      data: { orderId, reason: 'vendor cannot deliver', cancelledAt: at },
    };

    it('cancels everything not shipped yet', () => {
      spec
        .given([placed, shippedA])
        .when(cancel)
        .then([
          {
            type: 'PurchaseOrderCancelled',
            data: {
              orderId,
              facilityId,
              reason: 'vendor cannot deliver',
              cancelledLines: [{ model: nanoPro, quantity: 4 }],
            },
          },
        ]);
    });

    it('fulfils the order when everything shipped has already arrived', () => {
      const stillAwaited = spec
        .given([placed, shippedA, received(shipmentA, [...units(nanoPro, 5), ...units(z15, 4)])])
        .when({ type: 'CancelOrder', data: { orderId, cancelledAt: at } })
        .thenReturns();
      expect(stillAwaited.map((event) => event.type)).toEqual(['PurchaseOrderCancelled']);
      spec
        .given([
          placed,
          shippedA,
          received(shipmentA, [...units(nanoPro, 5), ...units(z15, 4)]),
          damaged(shipmentA, damagedUnits(nanoPro, 1)),
        ])
        .when({ type: 'CancelOrder', data: { orderId, cancelledAt: at } })
        .then([
          {
            type: 'PurchaseOrderCancelled',
            data: { orderId, facilityId, cancelledLines: [{ model: nanoPro, quantity: 4 }] },
          },
          {
            type: 'PurchaseOrderFulfilled',
            data: { orderId, facilityId, received: 9, damaged: 1, fulfilledAt: at },
          },
        ]);
    });

    it('refuses when everything is shipped or cancelled already', () => {
      spec.given([placed, shippedA, shippedB]).when(cancel).thenThrows('conflict', 'nothing-to-cancel');
      const [cancelled] = spec.given([placed, shippedA]).when(cancel).thenReturns();
      spec.given([placed, shippedA, cancelled]).when(cancel).thenThrows('conflict', 'nothing-to-cancel');
    });

    it('refuses an order cancelled before anything shipped', () => {
      const [cancelled] = spec.given([placed]).when(cancel).thenReturns();
      spec.given([placed, cancelled]).when(cancel).thenThrows('conflict', 'order-cancelled');
    });

    it('refuses a fulfilled order', () => {
      const history = [placed, shippedA, shippedB];
      const arrival = spec
        .given(history)
        .when(receive(shipmentA, [...units(nanoPro, 6), ...units(z15, 4)]))
        .thenReturns();
      const last = spec
        .given([...history, ...arrival])
        .when(receive(shipmentB, units(nanoPro, 4, 'b')))
        .thenReturns();
      spec
        .given([...history, ...arrival, ...last])
        .when(cancel)
        .thenThrows('conflict', 'order-fulfilled');
    });

    it('refuses an order that does not exist', () => {
      spec.given([]).when(cancel).thenThrows('not_found', 'order-not-found');
    });
  });

  describe('state', () => {
    it('derives the order status from the counts', () => {
      const story: ProcurementEvent[] = [placed];
      const statuses = [stateAfter(story).status];
      for (const event of [
        shippedA,
        shippedB,
        received(shipmentA, units(nanoPro, 2)),
        received(shipmentA, [...units(nanoPro, 4, 'x'), ...units(z15, 4)]),
        received(shipmentB, units(nanoPro, 4, 'b')),
      ]) {
        story.push(event);
        statuses.push(stateAfter(story).status);
      }
      expect(statuses).toEqual([
        'placed',
        'partially_shipped',
        'shipped',
        'partially_received',
        'partially_received',
        'fulfilled',
      ]);
    });

    it('tracks each shipment: lines, ETA and status', () => {
      const delayed: ProcurementEvent = {
        type: 'ShipmentDelayed',
        data: {
          shipmentId: shipmentA,
          orderId,
          facilityId,
          previousEta: '2026-10-20',
          eta: '2026-10-30',
          reason: 'storm',
        },
      };
      const history = [placed, shippedA, delayed];
      expect(stateAfter(history).shipments[0]).toMatchObject({ status: 'delayed', eta: '2026-10-30' });
      const partly = [
        ...history,
        received(shipmentA, units(nanoPro, 6)),
        damaged(shipmentA, damagedUnits(z15, 1)),
      ];
      expect(stateAfter(partly).shipments[0]).toEqual({
        id: shipmentA,
        eta: '2026-10-30',
        status: 'partially_received',
        lines: [
          { model: nanoPro, quantity: 6, received: 6, damaged: 0 },
          { model: z15, quantity: 4, received: 0, damaged: 1 },
        ],
      });
      expect(stateAfter([...partly, received(shipmentA, units(z15, 3))]).shipments[0].status).toBe(
        'received',
      );
    });

    it('reports an order cancelled in full as cancelled, with the cancelled units on its lines', () => {
      const [cancelled] = spec
        .given([placed])
        .when({ type: 'CancelOrder', data: { orderId, cancelledAt: at } })
        .thenReturns();
      const state = stateAfter([placed, cancelled]);
      expect(state.status).toBe('cancelled');
      expect(state.lines.map((line) => [line.model, line.cancelled])).toEqual([
        [nanoPro, 10],
        [z15, 4],
      ]);
    });

    it('survives a JSON round trip, as a snapshot does', () => {
      const state = stateAfter([placed, shippedA, received(shipmentA, units(nanoPro, 2))]);
      expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    });
  });
});
