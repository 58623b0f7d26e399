import { Controller } from '@nestjs/common';
import { decodeCursor, encodeCursor, type Page, Route, ZodQuery } from '@fleet/service-kit';
import { ORDER_READERS } from '../../orders.roles';
import { OrderPage, OrderSummaryView } from '../../read-model/order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';
import { ListOrdersQuery, OrdersCursor } from './list-orders.query';

@Controller('orders')
export class ListOrdersController {
  constructor(private readonly readModel: OrdersReadModel) {}

  @Route({
    method: 'GET',
    roles: ORDER_READERS,
    tag: 'orders',
    summary: 'Purchase orders, newest first, by facility and status; paged by cursor',
    response: OrderPage,
    responseDescription: '`{items, nextCursor}`; pass `nextCursor` as `cursor` for the next page',
    errors: { 400: 'A malformed query string or cursor' },
  })
  async listOrders(@ZodQuery(ListOrdersQuery) query: ListOrdersQuery): Promise<Page<OrderSummaryView>> {
    const page = await this.readModel.listOrders({
      facilityId: query.facilityId,
      status: query.status,
      limit: query.limit,
      beforeSeq: query.cursor === undefined ? undefined : decodeCursor(query.cursor, OrdersCursor).before,
    });
    return {
      items: page.items,
      nextCursor: page.nextSeq === null ? null : encodeCursor({ before: page.nextSeq }),
    };
  }
}
