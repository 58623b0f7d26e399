import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { DispatchShipmentRequest, Uuid } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { ORDER_WRITERS } from '../../orders.roles';
import { ShipmentView } from '../../read-model/order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';
import { OrderCommandHandler } from '../order-command.handler';

@Controller('orders')
export class DispatchShipmentController {
  constructor(
    private readonly orders: OrderCommandHandler,
    private readonly readModel: OrdersReadModel,
  ) {}

  @Route({
    method: 'POST',
    path: ':id/shipments',
    roles: ORDER_WRITERS,
    tag: 'shipments',
    summary: 'Record a shipment the vendor dispatched: units ordered and neither shipped nor cancelled yet',
    response: ShipmentView,
    responseDescription: "The shipment; `ETag` is its order's version",
    errors: {
      400: 'A malformed shipment, or a model on two lines',
      404: 'No such order',
      409: 'A model not ordered, more units than are outstanding, or the order is closed',
      412: "`If-Match` is not the order's version",
    },
  })
  async dispatchShipment(
    @ZodParam('id', Uuid) orderId: string,
    @ZodBody(DispatchShipmentRequest) body: DispatchShipmentRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<ShipmentView> {
    const shipmentId = randomUUID();
    const { answer } = await this.orders.execute(
      { type: 'DispatchShipment', data: { orderId, shipmentId, ...body } },
      context,
      { ifMatch, answer: (_, session) => this.readModel.getShipment(shipmentId, session) },
    );
    return replyWithVersion(reply, answer.shipment, {
      version: answer.version,
      location: `/shipments/${shipmentId}`,
    });
  }
}
