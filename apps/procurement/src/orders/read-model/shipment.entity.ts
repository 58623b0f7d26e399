import { EntitySchema } from 'typeorm';
import { tableOf } from '@fleet/event-sourcing';
import type { ShipmentLineState, ShipmentStatus } from '../domain/order.state';
import { bigintString } from './bigint-string.transformer';

/** Row of `shipments`: also how a shipment id leads to its order (the aggregate it lives in). */
export interface ShipmentRow {
  id: string;
  orderId: string;
  /** Global position of `ShipmentDispatched`: an order lists its shipments in dispatch order. */
  seq: string;
  facilityId: string;
  status: ShipmentStatus;
  lines: readonly ShipmentLineState[];
  eta: string;
  carrier: string | null;
  trackingNumber: string | null;
  /** Totals over the lines: units received and units recorded damaged. */
  received: number;
  damaged: number;
  dispatchedAt: string;
  updatedAt: string;
}

export const ShipmentEntity = new EntitySchema<ShipmentRow>({
  name: 'ShipmentEntity',
  tableName: 'shipments',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    orderId: { name: 'order_id', type: 'varchar', length: 36 },
    seq: { type: 'bigint', transformer: bigintString },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    status: { type: 'varchar', length: 32 },
    lines: { type: 'simple-json' },
    eta: { type: 'varchar', length: 10 },
    carrier: { type: 'varchar', length: 200, nullable: true },
    trackingNumber: { name: 'tracking_number', type: 'varchar', length: 200, nullable: true },
    received: { type: 'integer' },
    damaged: { type: 'integer' },
    dispatchedAt: { name: 'dispatched_at', type: 'varchar', length: 40 },
    updatedAt: { name: 'updated_at', type: 'varchar', length: 40 },
  },
  indices: [{ name: 'shipments_order_seq_idx', columns: ['orderId', 'seq'] }],
});

export const shipmentTable = tableOf(ShipmentEntity);
