import { Controller, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Uuid } from '@fleet/contracts';
import { replyWithVersion, Route, ZodParam } from '@fleet/service-kit';
import { ORDER_READERS } from '../../orders.roles';
import { ShipmentView } from '../../read-model/order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';

@Controller('shipments')
export class GetShipmentController {
  constructor(private readonly readModel: OrdersReadModel) {}

  @Route({
    method: 'GET',
    path: ':id',
    roles: ORDER_READERS,
    tag: 'shipments',
    summary: 'A shipment: its lines with the units received and damaged so far',
    response: ShipmentView,
    responseDescription: "The shipment; `ETag` is its order's version",
    errors: { 400: 'The id is not a UUID', 404: 'No such shipment' },
  })
  async getShipment(
    @ZodParam('id', Uuid) shipmentId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShipmentView> {
    const { shipment, version } = await this.readModel.getShipment(shipmentId);
    return replyWithVersion(reply, shipment, { version });
  }
}
