import { envelopeOf, FACILITY, foldInMemory, idOf, NANO, S19 } from '../../../test/report-events';
import { procurementOrderFold, type ProcurementOrderDoc } from './procurement-order.fold';
import { procurementReportOf } from './procurement-report';

const ORDER = idOf(1, 1);
const SHIPMENT = idOf(2, 1);
const LATE_SHIPMENT = idOf(3, 1);
const price = { amount: '1000', currency: 'USD' };

const placed = envelopeOf('PurchaseOrderPlaced', {
  orderId: ORDER,
  facilityId: FACILITY,
  vendor: 'ASICminer',
  lines: [
    { model: NANO, quantity: 100, unitPrice: price },
    { model: S19, quantity: 10, unitPrice: price },
  ],
  expectedDelivery: '2026-12-15',
});
const dispatched = (shipmentId: string, quantity: number, eta: string) =>
  envelopeOf('ShipmentDispatched', {
    shipmentId,
    orderId: ORDER,
    facilityId: FACILITY,
    lines: [{ model: NANO, quantity }],
    eta,
  });
const units = (count: number, from: number) =>
  Array.from({ length: count }, (_, index) => ({ serialNumber: `SN-${from + index}`, model: NANO }));

function reportOf(envelopes: Parameters<typeof foldInMemory>[1]) {
  const orders = foldInMemory<ProcurementOrderDoc>(procurementOrderFold, envelopes);
  return procurementReportOf(
    orders.map((order) => ({ orderId: order.key, facilityId: order.facilityId, order: order.data })),
  );
}

describe('the procurement report fold', () => {
  it('follows an order and its shipments: in transit with ETA and delays, received, damaged, still to come per month', () => {
    const report = reportOf([
      placed,
      dispatched(SHIPMENT, 60, '2026-10-30'),
      dispatched(LATE_SHIPMENT, 20, '2026-11-10'),
      envelopeOf('ShipmentDelayed', {
        shipmentId: LATE_SHIPMENT,
        orderId: ORDER,
        facilityId: FACILITY,
        previousEta: '2026-11-10',
        eta: '2027-01-05',
        reason: 'customs',
      }),
      envelopeOf('ShipmentUnitsReceived', {
        shipmentId: SHIPMENT,
        orderId: ORDER,
        facilityId: FACILITY,
        receiptId: idOf(4, 1),
        part: 1,
        parts: 1,
        units: units(55, 0),
      }),
      envelopeOf('ShipmentUnitsDamaged', {
        shipmentId: SHIPMENT,
        orderId: ORDER,
        facilityId: FACILITY,
        receiptId: idOf(4, 1),
        part: 1,
        parts: 1,
        units: units(3, 100).map((unit) => ({ ...unit, reason: 'dropped' })),
      }),
    ]);
    expect(report.pipeline).toEqual([
      expect.objectContaining({
        model: NANO,
        ordered: 100,
        cancelled: 0,
        notDispatched: 20,
        inTransit: 22,
        received: 55,
        damaged: 3,
        nextEta: '2026-10-30',
        delays: 1,
      }),
      expect.objectContaining({ model: S19, ordered: 10, notDispatched: 10, inTransit: 0, nextEta: null }),
    ]);
    expect(report.toComePerMonth).toEqual([
      { month: '2026-10', model: NANO, units: 2 },
      { month: '2026-12', model: NANO, units: 20 },
      { month: '2026-12', model: S19, units: 10 },
      { month: '2027-01', model: NANO, units: 20 },
    ]);
  });

  it('takes cancelled units out of what is to come, and a fulfilled order leaves nothing undispatched', () => {
    const cancelled = reportOf([
      placed,
      envelopeOf('PurchaseOrderCancelled', {
        orderId: ORDER,
        facilityId: FACILITY,
        cancelledLines: [
          { model: NANO, quantity: 100 },
          { model: S19, quantity: 10 },
        ],
      }),
    ]);
    expect(cancelled.pipeline.map((line) => [line.status, line.cancelled, line.notDispatched])).toEqual([
      ['cancelled', 100, 0],
      ['cancelled', 10, 0],
    ]);
    expect(cancelled.toComePerMonth).toEqual([]);
    const fulfilled = reportOf([
      placed,
      envelopeOf('PurchaseOrderFulfilled', {
        orderId: ORDER,
        facilityId: FACILITY,
        received: 0,
        damaged: 0,
        fulfilledAt: '2026-12-01T00:00:00Z',
      }),
    ]);
    expect(fulfilled.toComePerMonth).toEqual([]);
  });

  it('passes over a shipment event of an order it never saw placed', () => {
    expect(reportOf([dispatched(SHIPMENT, 5, '2026-10-30')]).pipeline).toEqual([]);
  });
});
