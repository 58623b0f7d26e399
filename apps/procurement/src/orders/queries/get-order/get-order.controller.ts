import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Uuid } from '@fleet/contracts';
import { Roles, setETag, toOpenApiSchema, ZodParam } from '@fleet/service-kit';
import { OrderView } from '../../order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';
import { READ_ROLES } from '../read-roles';

@ApiTags('orders')
@Controller('orders')
export class GetOrderController {
  constructor(private readonly readModel: OrdersReadModel) {}

  @Get(':id')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'A purchase order: per-model counts, status and its shipments' })
  @ApiOkResponse({
    schema: toOpenApiSchema(OrderView, 'output'),
    description: 'The order; `ETag` is its version (send it as `If-Match` on writes)',
  })
  async getOrder(
    @ZodParam('id', Uuid) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const order = await this.readModel.getOrder(orderId);
    setETag(reply, order.version);
    return order;
  }
}
