import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DelayShipmentRequest, Uuid } from '@fleet/contracts';
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
@Controller('shipments')
export class DelayShipmentController {
  constructor(
    private readonly orders: OrderCommandHandler,
    private readonly readModel: OrdersReadModel,
  ) {}

  @Post(':id/delay')
  @HttpCode(200)
  @Roles('procurement')
  @ApiOperation({ summary: "Move a shipment's ETA later; refused once the shipment is fully received" })
  @ApiOkResponse({
    schema: toOpenApiSchema(ShipmentView, 'output'),
    description: "The shipment; `ETag` is its order's version",
  })
  async delayShipment(
    @ZodParam('id', Uuid) shipmentId: string,
    @ZodBody(DelayShipmentRequest) body: DelayShipmentRequest,
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShipmentView> {
    const orderId = await this.readModel.orderOfShipment(shipmentId);
    await this.orders.execute(
      { type: 'DelayShipment', data: { orderId, shipmentId, eta: body.eta, reason: body.reason } },
      context,
      { ifMatch },
    );
    const { shipment, version } = await this.readModel.getShipment(shipmentId);
    setETag(reply, version);
    return shipment;
  }
}
