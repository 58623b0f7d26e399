import { Controller } from '@nestjs/common';
import { DelayShipmentRequest, Uuid } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { ORDER_WRITERS } from '../../orders.roles';
import { ShipmentView } from '../../read-model/order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';
import { OrderCommandHandler } from '../order-command.handler';

@Controller('shipments')
export class DelayShipmentController {
  constructor(
    private readonly orders: OrderCommandHandler,
    private readonly readModel: OrdersReadModel,
  ) {}

  @Route({
    method: 'POST',
    path: ':id/delay',
    status: 200,
    roles: ORDER_WRITERS,
    tag: 'shipments',
    summary: "Move a shipment's ETA later; refused once the shipment is fully received",
    response: ShipmentView,
    responseDescription: "The shipment; `ETag` is its order's version",
    errors: {
      400: 'A malformed delay',
      404: 'No such shipment',
      409: 'The ETA is not later, or the shipment is fully received',
      412: "`If-Match` is not the order's version",
    },
  })
  async delayShipment(
    @ZodParam('id', Uuid) shipmentId: string,
    @ZodBody(DelayShipmentRequest) body: DelayShipmentRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<ShipmentView> {
    const orderId = await this.readModel.orderOfShipment(shipmentId);
    const { answer } = await this.orders.execute(
      { type: 'DelayShipment', data: { orderId, shipmentId, eta: body.eta, reason: body.reason } },
      context,
      { ifMatch, answer: (_, session) => this.readModel.getShipment(shipmentId, session) },
    );
    return replyWithVersion(reply, answer.shipment, { version: answer.version });
  }
}
