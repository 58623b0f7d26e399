import { EntitySchema } from 'typeorm';
import { tableOf } from '@fleet/event-sourcing';
import type { OrderLineState, OrderStatus } from '../domain/order.state';
import { bigintString } from './bigint-string.transformer';

/** Row of `orders`: one purchase order as `GET /orders/:id` shows it, minus its shipments. */
export interface OrderRow {
  id: string;
  /** Global position of `PurchaseOrderPlaced`: a stable, unique order for cursor pages. */
  seq: string;
  facilityId: string;
  vendor: string;
  status: OrderStatus;
  expectedDelivery: string | null;
  /** At most 100 lines, always read and written with the order: a JSON column. */
  lines: readonly OrderLineState[];
  /** ISO-8601 instants, as the events carry them. */
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  fulfilledAt: string | null;
  /** The order stream's version: the ETag of the order and of its shipments. */
  version: number;
}

export const OrderEntity = new EntitySchema<OrderRow>({
  name: 'OrderEntity',
  tableName: 'orders',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    seq: { type: 'bigint', transformer: bigintString },
    facilityId: { name: 'facility_id', type: 'varchar', length: 63 },
    vendor: { type: 'varchar', length: 200 },
    status: { type: 'varchar', length: 32 },
    expectedDelivery: { name: 'expected_delivery', type: 'varchar', length: 10, nullable: true },
    lines: { type: 'simple-json' },
    createdAt: { name: 'created_at', type: 'varchar', length: 40 },
    updatedAt: { name: 'updated_at', type: 'varchar', length: 40 },
    cancelledAt: { name: 'cancelled_at', type: 'varchar', length: 40, nullable: true },
    fulfilledAt: { name: 'fulfilled_at', type: 'varchar', length: 40, nullable: true },
    version: { type: 'integer' },
  },
  indices: [
    { name: 'orders_seq_key', columns: ['seq'], unique: true },
    { name: 'orders_facility_status_seq_idx', columns: ['facilityId', 'status', 'seq'] },
    { name: 'orders_status_seq_idx', columns: ['status', 'seq'] },
  ],
});

export const orderTable = tableOf(OrderEntity);
