import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { readCommitted, type EventStoreSession } from '@fleet/event-sourcing';
import { orderNotFound, shipmentNotFound } from '../domain/order.errors';
import type { OrderStatus } from '../domain/order.state';
import { OrderEntity, type OrderRow } from './order.entity';
import {
  toOrderSummaryView,
  toOrderView,
  toShipmentView,
  type OrderSummaryView,
  type OrderView,
  type ShipmentView,
} from './order.views';
import { ShipmentEntity, type ShipmentRow } from './shipment.entity';

export interface OrderFilter {
  readonly facilityId?: string;
  readonly status?: OrderStatus;
  readonly limit: number;
  /** Only orders placed before the one at this position (pages run newest first). */
  readonly beforeSeq?: string;
}

export interface OrdersPage {
  readonly items: readonly OrderSummaryView[];
  /** The position to continue before, or null on the last page. */
  readonly nextSeq: string | null;
}

/**
 * Reads of procurement's query tables. They are written in the same transaction as the events, so
 * a read after a write sees it. On SQLite every read outside a command takes the database lock: the
 * process has a single connection, and a read between the statements of an open append would see
 * (and answer with) rows that may still roll back. A command's read-back (`answer`) passes its
 * session instead, and reads in the command's transaction.
 */
@Injectable()
export class OrdersReadModel {
  constructor(private readonly dataSource: DataSource) {}

  getOrder(id: string, session?: EventStoreSession): Promise<OrderView> {
    return this.read(session, async (manager) => {
      const row = await orderRow(manager, id);
      const shipments = await manager.find(ShipmentEntity, { where: { orderId: id }, order: { seq: 'ASC' } });
      return toOrderView(row, shipments);
    });
  }

  /** The shipment and its order's version, which is the shipment's ETag. */
  getShipment(id: string, session?: EventStoreSession): Promise<{ shipment: ShipmentView; version: number }> {
    return this.read(session, async (manager) => {
      const row = await shipmentRow(manager, id);
      const order = await orderRow(manager, row.orderId);
      return { shipment: toShipmentView(row), version: order.version };
    });
  }

  /** The order a shipment belongs to: its writes are commands on that order. */
  orderOfShipment(shipmentId: string): Promise<string> {
    return this.read(undefined, async (manager) => (await shipmentRow(manager, shipmentId)).orderId);
  }

  listOrders(filter: OrderFilter): Promise<OrdersPage> {
    return this.read(undefined, (manager) => listOrders(manager, filter));
  }

  private read<T>(
    session: EventStoreSession | undefined,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return session ? work(session.manager) : readCommitted(this.dataSource, work);
  }
}

async function listOrders(manager: EntityManager, filter: OrderFilter): Promise<OrdersPage> {
  const query = manager
    .createQueryBuilder(OrderEntity, 'o')
    .orderBy('o.seq', 'DESC')
    .limit(filter.limit + 1);
  if (filter.facilityId !== undefined)
    query.andWhere('o.facility_id = :facilityId', { facilityId: filter.facilityId });
  if (filter.status !== undefined) query.andWhere('o.status = :status', { status: filter.status });
  if (filter.beforeSeq !== undefined) query.andWhere('o.seq < :beforeSeq', { beforeSeq: filter.beforeSeq });
  const rows = await query.getMany();
  const page = rows.slice(0, filter.limit);
  return {
    items: page.map(toOrderSummaryView),
    nextSeq: rows.length > filter.limit ? page[page.length - 1].seq : null,
  };
}

async function orderRow(manager: EntityManager, id: string): Promise<OrderRow> {
  const row = await manager.findOneBy(OrderEntity, { id });
  if (!row) throw orderNotFound(id);
  return row;
}

async function shipmentRow(manager: EntityManager, id: string): Promise<ShipmentRow> {
  const row = await manager.findOneBy(ShipmentEntity, { id });
  if (!row) throw shipmentNotFound(id);
  return row;
}
