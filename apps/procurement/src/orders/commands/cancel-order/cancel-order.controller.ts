import { Controller } from '@nestjs/common';
import { CancelOrderRequest, Uuid } from '@fleet/contracts';
import { businessNow, CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { ORDER_WRITERS } from '../../orders.roles';
import { OrderView } from '../../read-model/order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';
import { OrderCommandHandler } from '../order-command.handler';

@Controller('orders')
export class CancelOrderController {
  constructor(
    private readonly orders: OrderCommandHandler,
    private readonly readModel: OrdersReadModel,
  ) {}

  @Route({
    method: 'POST',
    path: ':id/cancel',
    status: 200,
    roles: ORDER_WRITERS,
    tag: 'orders',
    summary: 'Cancel every unit of an order that is not shipped yet',
    description: 'Units already shipped are still received; the order is fulfilled once they all arrive.',
    response: OrderView,
    responseDescription: 'The order; `ETag` is its version',
    errors: {
      400: 'A malformed request',
      404: 'No such order',
      409: 'Nothing left to cancel, or the order is closed',
      412: "`If-Match` is not the order's version",
    },
  })
  async cancelOrder(
    @ZodParam('id', Uuid) orderId: string,
    @ZodBody(CancelOrderRequest) body: CancelOrderRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<OrderView> {
    const now = businessNow();
    const { answer: order } = await this.orders.execute(
      { type: 'CancelOrder', data: { orderId, reason: body.reason, cancelledAt: now.toISOString() } },
      context,
      { ifMatch, occurredAt: now, answer: (_, session) => this.readModel.getOrder(orderId, session) },
    );
    return replyWithVersion(reply, order, { version: order.version });
  }
}
