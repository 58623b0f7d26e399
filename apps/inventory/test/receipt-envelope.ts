import { randomUUID } from 'node:crypto';
import { ShipmentUnitsReceived, type EventEnvelope } from '@fleet/contracts';

export interface ReceiptOptions {
  readonly facilityId?: string;
  readonly model?: string;
  readonly prefix?: string;
  readonly first?: number;
}

/** A `ShipmentUnitsReceived` envelope as procurement's relay publishes it. */
export function receiptEnvelope(
  units: number | readonly { serialNumber: string; model: string; macAddress?: string }[],
  options: ReceiptOptions = {},
): EventEnvelope<ShipmentUnitsReceived['data']> {
  const facilityId = options.facilityId ?? 'tx-01';
  const list =
    typeof units === 'number'
      ? Array.from({ length: units }, (_, index) => ({
          serialNumber: `${options.prefix ?? 'AM8NP'}-${String((options.first ?? 0) + index).padStart(6, '0')}`,
          model: options.model ?? 'asicminer-8-nano-pro',
        }))
      : units;
  const orderId = randomUUID();
  return {
    eventId: randomUUID(),
    type: ShipmentUnitsReceived.type,
    schemaVersion: ShipmentUnitsReceived.version,
    streamId: `order-${orderId}`,
    streamVersion: 3,
    position: '42',
    occurredAt: new Date().toISOString(),
    facilityId,
    actor: 'procurement:receiving',
    correlationId: `corr-${randomUUID()}`,
    causationId: null,
    data: {
      shipmentId: randomUUID(),
      orderId,
      facilityId,
      receiptId: randomUUID(),
      part: 1,
      parts: 1,
      units: [...list],
    },
  };
}
