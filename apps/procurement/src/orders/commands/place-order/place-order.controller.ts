import { randomUUID } from 'node:crypto';
import { Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PlaceOrderRequest } from '@fleet/contracts';
import { RequestContext, Roles, setETag, toOpenApiSchema, ZodBody } from '@fleet/service-kit';
import { OrderCommandHandler } from '../../order-command.handler';
import { OrderView } from '../../order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';

@ApiTags('orders')
@Controller('orders')
export class PlaceOrderController {
  constructor(
    private readonly orders: OrderCommandHandler,
    private readonly readModel: OrdersReadModel,
  ) {}

  @Post()
  @Roles('procurement')
  @ApiOperation({ summary: 'Place a purchase order with a vendor' })
  @ApiCreatedResponse({
    schema: toOpenApiSchema(OrderView, 'output'),
    description: 'The order; `Location` names it and `ETag` is its version',
  })
  async placeOrder(
    @ZodBody(PlaceOrderRequest) body: PlaceOrderRequest,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const orderId = randomUUID();
    await this.orders.execute({ type: 'PlaceOrder', data: { orderId, ...body } }, context);
    const order = await this.readModel.getOrder(orderId);
    reply.header('location', `/orders/${orderId}`);
    setETag(reply, order.version);
    return order;
  }
}
