import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Uuid } from '@fleet/contracts';
import { Roles, setETag, toOpenApiSchema, ZodParam } from '@fleet/service-kit';
import { ShipmentView } from '../../order.views';
import { OrdersReadModel } from '../../read-model/orders.read-model';
import { READ_ROLES } from '../read-roles';

@ApiTags('shipments')
@Controller('shipments')
export class GetShipmentController {
  constructor(private readonly readModel: OrdersReadModel) {}

  @Get(':id')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'A shipment: its lines with the units received and damaged so far' })
  @ApiOkResponse({
    schema: toOpenApiSchema(ShipmentView, 'output'),
    description: "The shipment; `ETag` is its order's version",
  })
  async getShipment(
    @ZodParam('id', Uuid) shipmentId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShipmentView> {
    const { shipment, version } = await this.readModel.getShipment(shipmentId);
    setETag(reply, version);
    return shipment;
  }
}
