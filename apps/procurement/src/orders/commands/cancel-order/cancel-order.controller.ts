import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CancelOrderRequest, Uuid } from '@fleet/contracts';
import {
  IfMatch,
  RequestContext,
  Roles,
  setETag,
  toOpenApiSchema,
  ZodBody,
  ZodParam,
} from '@fleet/service-kit';
import { OrderCommandHandler } from '../../order-command.handler';
import { OrderView } from '../../order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';

@ApiTags('orders')
@Controller('orders')
export class CancelOrderController {
  constructor(
    private readonly orders: OrderCommandHandler,
    private readonly readModel: OrdersReadModel,
  ) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('procurement')
  @ApiOperation({
    summary: 'Cancel every unit of an order that is not shipped yet',
    description: 'Units already shipped are still received; the order is fulfilled once they all arrive.',
  })
  @ApiOkResponse({
    schema: toOpenApiSchema(OrderView, 'output'),
    description: 'The order; `ETag` is its version',
  })
  async cancelOrder(
    @ZodParam('id', Uuid) orderId: string,
    @ZodBody(CancelOrderRequest) body: CancelOrderRequest,
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const now = new Date();
    await this.orders.execute(
      { type: 'CancelOrder', data: { orderId, reason: body.reason, cancelledAt: now.toISOString() } },
      context,
      { ifMatch, occurredAt: now },
    );
    const order = await this.readModel.getOrder(orderId);
    setETag(reply, order.version);
    return order;
  }
}
