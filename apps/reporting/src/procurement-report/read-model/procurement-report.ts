import type { ProcurementOrderDoc } from './procurement-order.fold';

export interface OrderModelPipeline {
  readonly orderId: string;
  readonly facilityId: string;
  readonly vendor: string;
  readonly status: ProcurementOrderDoc['status'];
  readonly model: string;
  readonly ordered: number;
  readonly cancelled: number;
  /** Dispatched, not yet received nor reported damaged. */
  readonly inTransit: number;
  readonly received: number;
  readonly damaged: number;
  /** Ordered, not cancelled, not dispatched yet. */
  readonly notDispatched: number;
  /** The earliest ETA of a shipment of this model still in transit (YYYY-MM-DD), or null. */
  readonly nextEta: string | null;
  /** Delays announced on the shipments of this model. */
  readonly delays: number;
}

export interface MonthToCome {
  /** YYYY-MM, or null for units ordered without an expected delivery and not dispatched. */
  readonly month: string | null;
  readonly model: string;
  readonly units: number;
}

export interface ProcurementReport {
  readonly pipeline: OrderModelPipeline[];
  readonly toComePerMonth: MonthToCome[];
}

export interface ProcurementOrderFacts {
  readonly orderId: string;
  readonly facilityId: string;
  readonly order: ProcurementOrderDoc;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The pipeline per order and model, and what is still to come per month (by ETA, else expected delivery). */
export function procurementReportOf(orders: readonly ProcurementOrderFacts[]): ProcurementReport {
  const pipeline: OrderModelPipeline[] = [];
  const toCome = new Map<string, MonthToCome>();
  const comeIn = (month: string | null, model: string, units: number): void => {
    if (units <= 0) return;
    const key = `${month ?? ''}\u0000${model}`;
    toCome.set(key, { month, model, units: (toCome.get(key)?.units ?? 0) + units });
  };
  const sorted = [...orders].sort(
    (a, b) => byText(a.order.placedAt, b.order.placedAt) || byText(a.orderId, b.orderId),
  );
  for (const { orderId, facilityId, order } of sorted) {
    const shipments = Object.values(order.shipments);
    for (const model of Object.keys(order.models).sort(byText)) {
      const units = order.models[model] ?? { ordered: 0, cancelled: 0 };
      let dispatched = 0;
      let received = 0;
      let damaged = 0;
      let inTransit = 0;
      let delays = 0;
      let nextEta: string | null = null;
      for (const shipment of shipments) {
        const lines = shipment.lines[model] ?? 0;
        if (lines === 0) continue;
        const arrived = (shipment.received[model] ?? 0) + (shipment.damaged[model] ?? 0);
        const travelling = Math.max(0, lines - arrived);
        dispatched += lines;
        received += shipment.received[model] ?? 0;
        damaged += shipment.damaged[model] ?? 0;
        inTransit += travelling;
        delays += shipment.delays;
        if (travelling > 0) {
          if (nextEta === null || shipment.eta < nextEta) nextEta = shipment.eta;
          comeIn(shipment.eta.slice(0, 7), model, travelling);
        }
      }
      const notDispatched =
        order.status === 'fulfilled' ? 0 : Math.max(0, units.ordered - units.cancelled - dispatched);
      comeIn(order.expectedDelivery?.slice(0, 7) ?? null, model, notDispatched);
      pipeline.push({
        orderId,
        facilityId,
        vendor: order.vendor,
        status: order.status,
        model,
        ordered: units.ordered,
        cancelled: units.cancelled,
        inTransit,
        received,
        damaged,
        notDispatched,
        nextEta,
        delays,
      });
    }
  }
  const toComePerMonth = [...toCome.values()].sort(
    (a, b) => byText(a.month ?? '9999', b.month ?? '9999') || byText(a.model, b.model),
  );
  return { pipeline, toComePerMonth };
}
