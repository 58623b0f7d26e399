import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { decodeCursor, encodeCursor, type Page, Roles, toOpenApiSchema, ZodQuery } from '@fleet/service-kit';
import { OrderPage, OrderSummaryView } from '../../order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';
import { READ_ROLES } from '../read-roles';
import { ListOrdersQuery, OrdersCursor } from './list-orders.query';

@ApiTags('orders')
@Controller('orders')
export class ListOrdersController {
  constructor(private readonly readModel: OrdersReadModel) {}

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'Purchase orders, newest first, by facility and status; paged by cursor' })
  @ApiOkResponse({
    schema: toOpenApiSchema(OrderPage, 'output'),
    description: '`{items, nextCursor}`; pass `nextCursor` as `cursor` for the next page',
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
