import type { EntityManager } from 'typeorm';

/*
 * The forecast's tables are counters and a latest-ETA, written by single upserts: the procurement
 * consumers (one per event type) may run side by side on one order, and each adds its own part
 * atomically, in any order. `ON CONFLICT … DO UPDATE` is the same on SQLite and PostgreSQL.
 */

export async function upsertOrder(
  manager: EntityManager,
  orderId: string,
  facilityId: string,
  expectedDelivery: string | null,
): Promise<void> {
  await manager.sql`
    INSERT INTO forecast_orders (order_id, facility_id, expected_delivery)
    VALUES (${orderId}, ${facilityId}, ${expectedDelivery})
    ON CONFLICT (order_id) DO UPDATE SET expected_delivery = excluded.expected_delivery`;
}

/** Adds to an order line's counters (creating the line at zero first). */
export async function addToOrderLine(
  manager: EntityManager,
  line: { orderId: string; model: string; facilityId: string },
  add: { ordered?: number; cancelled?: number; dispatched?: number },
): Promise<void> {
  const [ordered, cancelled, dispatched] = [add.ordered ?? 0, add.cancelled ?? 0, add.dispatched ?? 0];
  await manager.sql`
    INSERT INTO forecast_order_lines (order_id, model, facility_id, ordered, cancelled, dispatched)
    VALUES (${line.orderId}, ${line.model}, ${line.facilityId}, ${ordered}, ${cancelled}, ${dispatched})
    ON CONFLICT (order_id, model) DO UPDATE SET
      ordered = forecast_order_lines.ordered + excluded.ordered,
      cancelled = forecast_order_lines.cancelled + excluded.cancelled,
      dispatched = forecast_order_lines.dispatched + excluded.dispatched`;
}

/** Sets a shipment's ETA unless an event later in the order's stream has set it already. */
export async function upsertShipmentEta(
  manager: EntityManager,
  shipment: { shipmentId: string; orderId: string; facilityId: string },
  eta: string,
  version: number,
): Promise<void> {
  await manager.sql`
    INSERT INTO forecast_shipments (shipment_id, order_id, facility_id, eta, eta_version)
    VALUES (${shipment.shipmentId}, ${shipment.orderId}, ${shipment.facilityId}, ${eta}, ${version})
    ON CONFLICT (shipment_id) DO UPDATE SET
      eta = CASE WHEN excluded.eta_version > forecast_shipments.eta_version
        THEN excluded.eta ELSE forecast_shipments.eta END,
      eta_version = CASE WHEN excluded.eta_version > forecast_shipments.eta_version
        THEN excluded.eta_version ELSE forecast_shipments.eta_version END`;
}

/** Adds to a shipment line's counters (creating the line at zero first). */
export async function addToShipmentLine(
  manager: EntityManager,
  line: { shipmentId: string; model: string; orderId: string; facilityId: string },
  add: { dispatched?: number; received?: number; damaged?: number },
): Promise<void> {
  const [dispatched, received, damaged] = [add.dispatched ?? 0, add.received ?? 0, add.damaged ?? 0];
  await manager.sql`
    INSERT INTO forecast_shipment_lines (shipment_id, model, order_id, facility_id, dispatched, received, damaged)
    VALUES (${line.shipmentId}, ${line.model}, ${line.orderId}, ${line.facilityId}, ${dispatched}, ${received}, ${damaged})
    ON CONFLICT (shipment_id, model) DO UPDATE SET
      dispatched = forecast_shipment_lines.dispatched + excluded.dispatched,
      received = forecast_shipment_lines.received + excluded.received,
      damaged = forecast_shipment_lines.damaged + excluded.damaged`;
}

export interface PendingOrderLine {
  readonly orderId: string;
  readonly expectedDelivery: string;
  readonly model: string;
  readonly units: number | string;
}

/** A facility's order lines with an expected delivery: ordered − cancelled − dispatched, not yet dispatched. */
export function pendingOrderLines(manager: EntityManager, facilityId: string): Promise<PendingOrderLine[]> {
  return manager.sql<PendingOrderLine[]>`
    SELECT o.order_id AS "orderId", o.expected_delivery AS "expectedDelivery", l.model AS "model",
      l.ordered - l.cancelled - l.dispatched AS "units"
    FROM forecast_order_lines l JOIN forecast_orders o ON o.order_id = l.order_id
    WHERE l.facility_id = ${facilityId} AND o.expected_delivery IS NOT NULL
      AND l.ordered - l.cancelled - l.dispatched > 0
    ORDER BY o.expected_delivery, o.order_id, l.model`;
}

export interface InTransitLine {
  readonly shipmentId: string;
  readonly orderId: string;
  readonly eta: string;
  readonly model: string;
  readonly units: number | string;
}

/** A facility's shipment lines with an ETA: dispatched − received − damaged, in transit. */
export function inTransitLines(manager: EntityManager, facilityId: string): Promise<InTransitLine[]> {
  return manager.sql<InTransitLine[]>`
    SELECT s.shipment_id AS "shipmentId", s.order_id AS "orderId", s.eta AS "eta", l.model AS "model",
      l.dispatched - l.received - l.damaged AS "units"
    FROM forecast_shipment_lines l JOIN forecast_shipments s ON s.shipment_id = l.shipment_id
    WHERE l.facility_id = ${facilityId} AND s.eta IS NOT NULL
      AND l.dispatched - l.received - l.damaged > 0
    ORDER BY s.eta, s.shipment_id, l.model`;
}
