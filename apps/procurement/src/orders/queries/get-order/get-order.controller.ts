import { Controller, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Uuid } from '@fleet/contracts';
import { replyWithVersion, Route, ZodParam } from '@fleet/service-kit';
import { ORDER_READERS } from '../../orders.roles';
import { OrderView } from '../../read-model/order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';

@Controller('orders')
export class GetOrderController {
  constructor(private readonly readModel: OrdersReadModel) {}

  @Route({
    method: 'GET',
    path: ':id',
    roles: ORDER_READERS,
    tag: 'orders',
    summary: 'A purchase order: per-model counts, status and its shipments',
    response: OrderView,
    responseDescription: 'The order; `ETag` is its version (send it as `If-Match` on writes)',
    errors: { 400: 'The id is not a UUID', 404: 'No such order' },
  })
  async getOrder(
    @ZodParam('id', Uuid) orderId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const order = await this.readModel.getOrder(orderId);
    return replyWithVersion(reply, order, { version: order.version });
  }
}
