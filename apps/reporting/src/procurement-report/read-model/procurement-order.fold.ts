import type { ReportFold } from '../../report-kit/report-fold';

/** Units of one model in one order, as far as the pipeline has moved them. */
export interface ModelUnits {
  readonly ordered: number;
  readonly cancelled: number;
}

export interface ShipmentFacts {
  readonly eta: string;
  readonly firstEta: string;
  readonly delays: number;
  /** Units dispatched, received and damaged per model. */
  readonly lines: Record<string, number>;
  readonly received: Record<string, number>;
  readonly damaged: Record<string, number>;
}

/** One purchase order and its shipments, from procurement's events. */
export interface ProcurementOrderDoc {
  readonly vendor: string;
  readonly placedAt: string;
  readonly expectedDelivery: string | null;
  readonly status: 'open' | 'cancelled' | 'fulfilled';
  readonly models: Record<string, ModelUnits>;
  readonly shipments: Record<string, ShipmentFacts>;
}

function add(counts: Record<string, number>, model: string, units: number): Record<string, number> {
  return { ...counts, [model]: (counts[model] ?? 0) + units };
}

function countByModel(units: readonly { model: string }[]): Record<string, number> {
  let counts: Record<string, number> = {};
  for (const unit of units) counts = add(counts, unit.model, 1);
  return counts;
}

function withShipment(
  doc: ProcurementOrderDoc,
  shipmentId: string,
  change: (shipment: ShipmentFacts) => ShipmentFacts,
): ProcurementOrderDoc {
  const shipment = doc.shipments[shipmentId];
  // A shipment event before its dispatch never happens in procurement's stream order; keep the doc.
  if (!shipment) return doc;
  return { ...doc, shipments: { ...doc.shipments, [shipmentId]: change(shipment) } };
}

/** `procurement-order` documents, one per purchase order. */
export const procurementOrderFold: ReportFold<ProcurementOrderDoc> = {
  kind: 'procurement-order',
  types: [
    'PurchaseOrderPlaced',
    'PurchaseOrderCancelled',
    'PurchaseOrderFulfilled',
    'ShipmentDispatched',
    'ShipmentDelayed',
    'ShipmentUnitsReceived',
    'ShipmentUnitsDamaged',
  ],
  keysOf: (event) => {
    switch (event.type) {
      case 'PurchaseOrderPlaced':
      case 'PurchaseOrderCancelled':
      case 'PurchaseOrderFulfilled':
      case 'ShipmentDispatched':
      case 'ShipmentDelayed':
      case 'ShipmentUnitsReceived':
      case 'ShipmentUnitsDamaged':
        return [event.data.orderId];
      default:
        return [];
    }
  },
  evolve(doc, event) {
    if (event.type === 'PurchaseOrderPlaced') {
      const models: Record<string, ModelUnits> = {};
      for (const line of event.data.lines)
        models[line.model] = { ordered: (models[line.model]?.ordered ?? 0) + line.quantity, cancelled: 0 };
      return {
        vendor: event.data.vendor,
        placedAt: event.meta.occurredAt,
        expectedDelivery: event.data.expectedDelivery ?? null,
        status: 'open',
        models,
        shipments: {},
      };
    }
    if (!doc) return null;
    switch (event.type) {
      case 'PurchaseOrderCancelled': {
        const models = { ...doc.models };
        for (const line of event.data.cancelledLines) {
          const units = models[line.model] ?? { ordered: 0, cancelled: 0 };
          models[line.model] = { ...units, cancelled: units.cancelled + line.quantity };
        }
        return { ...doc, status: 'cancelled', models };
      }
      case 'PurchaseOrderFulfilled':
        return { ...doc, status: 'fulfilled' };
      case 'ShipmentDispatched': {
        const lines: Record<string, number> = {};
        for (const line of event.data.lines) lines[line.model] = (lines[line.model] ?? 0) + line.quantity;
        const shipment: ShipmentFacts = {
          eta: event.data.eta,
          firstEta: event.data.eta,
          delays: 0,
          lines,
          received: {},
          damaged: {},
        };
        return { ...doc, shipments: { ...doc.shipments, [event.data.shipmentId]: shipment } };
      }
      case 'ShipmentDelayed':
        return withShipment(doc, event.data.shipmentId, (shipment) => ({
          ...shipment,
          eta: event.data.eta,
          delays: shipment.delays + 1,
        }));
      case 'ShipmentUnitsReceived': {
        const counts = countByModel(event.data.units);
        return withShipment(doc, event.data.shipmentId, (shipment) => {
          let received = shipment.received;
          for (const [model, units] of Object.entries(counts)) received = add(received, model, units);
          return { ...shipment, received };
        });
      }
      case 'ShipmentUnitsDamaged': {
        const counts = countByModel(event.data.units);
        return withShipment(doc, event.data.shipmentId, (shipment) => {
          let damaged = shipment.damaged;
          for (const [model, units] of Object.entries(counts)) damaged = add(damaged, model, units);
          return { ...shipment, damaged };
        });
      }
      default:
        return doc;
    }
  },
};
