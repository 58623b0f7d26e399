import { randomUUID } from 'node:crypto';
import { Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DispatchShipmentRequest, Uuid } from '@fleet/contracts';
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
import { ShipmentView } from '../../order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';

@ApiTags('shipments')
@Controller('orders')
export class DispatchShipmentController {
  constructor(
    private readonly orders: OrderCommandHandler,
    private readonly readModel: OrdersReadModel,
  ) {}

  @Post(':id/shipments')
  @Roles('procurement')
  @ApiOperation({
    summary: 'Record a shipment the vendor dispatched: units ordered and neither shipped nor cancelled yet',
  })
  @ApiCreatedResponse({
    schema: toOpenApiSchema(ShipmentView, 'output'),
    description: "The shipment; `ETag` is its order's version",
  })
  async dispatchShipment(
    @ZodParam('id', Uuid) orderId: string,
    @ZodBody(DispatchShipmentRequest) body: DispatchShipmentRequest,
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShipmentView> {
    const shipmentId = randomUUID();
    await this.orders.execute({ type: 'DispatchShipment', data: { orderId, shipmentId, ...body } }, context, {
      ifMatch,
    });
    const { shipment, version } = await this.readModel.getShipment(shipmentId);
    reply.header('location', `/shipments/${shipmentId}`);
    setETag(reply, version);
    return shipment;
  }
}
