import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { ReceiveShipmentRequest, Uuid } from '@fleet/contracts';
import { businessNow, CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { ORDER_WRITERS } from '../../orders.roles';
import { ReceiptView } from '../../read-model/order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';
import { OrderCommandHandler } from '../order-command.handler';

@Controller('shipments')
export class ReceiveShipmentController {
  constructor(
    private readonly orders: OrderCommandHandler,
    private readonly readModel: OrdersReadModel,
  ) {}

  @Route({
    method: 'POST',
    path: ':id/receive',
    status: 200,
    roles: ORDER_WRITERS,
    tag: 'shipments',
    summary: 'Receive units of a shipment by serial number (up to 20,000 in one request), damaged ones apart',
    description:
      'All or nothing: more units of a model than the shipment carries, a model it does not carry or a ' +
      'serial received before (409), or a serial twice in the receipt (400) records nothing. The receipt ' +
      'that accounts for the last awaited unit also fulfils the order.',
    response: ReceiptView,
    responseDescription: "Counts of this receipt and the resulting statuses; `ETag` is the order's version",
    errors: {
      400: 'A malformed or empty receipt, or a serial twice in it',
      404: 'No such shipment',
      409: 'More units than the shipment carries, a model it does not carry, or a serial received before',
      412: "`If-Match` is not the order's version",
      413: 'A body larger than BODY_LIMIT_BYTES',
    },
    // 12,000 units are about 1.2 MB, 20,000 with the longest serials 3 MB: past the 1 MiB of other routes.
    largeBody: true,
  })
  async receiveShipment(
    @ZodParam('id', Uuid) shipmentId: string,
    @ZodBody(ReceiveShipmentRequest) body: ReceiveShipmentRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<ReceiptView> {
    const orderId = await this.readModel.orderOfShipment(shipmentId);
    const receiptId = randomUUID();
    const now = businessNow();
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
    return replyWithVersion(
      reply,
      {
        receiptId,
        shipmentId,
        orderId,
        received: body.units.length,
        damaged: damaged.length,
        shipmentStatus: shipment.status,
        orderStatus: state.status,
        version,
      },
      { version },
    );
  }
}
