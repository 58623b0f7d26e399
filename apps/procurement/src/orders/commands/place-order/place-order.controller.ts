import { randomUUID } from 'node:crypto';
import { Controller, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PlaceOrderRequest } from '@fleet/contracts';
import { replyWithVersion, RequestContext, Route, ZodBody } from '@fleet/service-kit';
import { ORDER_WRITERS } from '../../orders.roles';
import { OrderView } from '../../read-model/order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';
import { OrderCommandHandler } from '../order-command.handler';

@Controller('orders')
export class PlaceOrderController {
  constructor(
    private readonly orders: OrderCommandHandler,
    private readonly readModel: OrdersReadModel,
  ) {}

  @Route({
    method: 'POST',
    roles: ORDER_WRITERS,
    tag: 'orders',
    summary: 'Place a purchase order with a vendor',
    response: OrderView,
    responseDescription: 'The order; `Location` names it and `ETag` is its version',
    errors: { 400: 'A malformed order, or a model on two lines' },
  })
  async placeOrder(
    @ZodBody(PlaceOrderRequest) body: PlaceOrderRequest,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const orderId = randomUUID();
    const { answer: order } = await this.orders.execute(
      { type: 'PlaceOrder', data: { orderId, ...body } },
      context,
      { answer: (_, session) => this.readModel.getOrder(orderId, session) },
    );
    return replyWithVersion(reply, order, { version: order.version, location: `/orders/${orderId}` });
  }
}
