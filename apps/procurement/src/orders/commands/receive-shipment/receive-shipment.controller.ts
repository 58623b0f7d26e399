import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReceiveShipmentRequest, Uuid } from '@fleet/contracts';
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
import { ReceiptView } from '../../order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';

@ApiTags('shipments')
@Controller('shipments')
export class ReceiveShipmentController {
  constructor(
    private readonly orders: OrderCommandHandler,
    private readonly readModel: OrdersReadModel,
  ) {}

  @Post(':id/receive')
  @HttpCode(200)
  @Roles('procurement')
  @ApiOperation({
    summary: 'Receive units of a shipment by serial number (up to 20,000 in one request), damaged ones apart',
    description:
      'All or nothing: more units of a model than the shipment carries, a model it does not carry or a ' +
      'serial received before (409), or a serial twice in the receipt (400) records nothing. The receipt ' +
      'that accounts for the last awaited unit also fulfils the order.',
  })
  @ApiOkResponse({
    schema: toOpenApiSchema(ReceiptView, 'output'),
    description: "Counts of this receipt and the resulting statuses; `ETag` is the order's version",
  })
  async receiveShipment(
    @ZodParam('id', Uuid) shipmentId: string,
    @ZodBody(ReceiveShipmentRequest) body: ReceiveShipmentRequest,
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReceiptView> {
    const orderId = await this.readModel.orderOfShipment(shipmentId);
    const receiptId = randomUUID();
    const now = new Date();
    const damaged = body.damaged ?? [];
    const { state, version } = await this.orders.execute(
      {
        type: 'ReceiveShipment',
        data: { orderId, shipmentId, receiptId, units: body.units, damaged, receivedAt: now.toISOString() },
      },
      context,
      { ifMatch, occurredAt: now },
    );
    const shipment =
      state.status === 'none' ? undefined : state.shipments.find(({ id }) => id === shipmentId);
    // The decider accepted a receipt for this shipment, so the state after it has the shipment.
    if (state.status === 'none' || !shipment)
      throw new Error(`shipment ${shipmentId} vanished from its order`);
    setETag(reply, version);
    return {
      receiptId,
      shipmentId,
      orderId,
      received: body.units.length,
      damaged: damaged.length,
      shipmentStatus: shipment.status,
      orderStatus: state.status,
      version,
    };
  }
}
