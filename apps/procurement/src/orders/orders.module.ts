import { Module } from '@nestjs/common';
import { CancelOrderController } from './commands/cancel-order/cancel-order.controller';
import { DelayShipmentController } from './commands/delay-shipment/delay-shipment.controller';
import { DispatchShipmentController } from './commands/dispatch-shipment/dispatch-shipment.controller';
import { PlaceOrderController } from './commands/place-order/place-order.controller';
import { ReceiveShipmentController } from './commands/receive-shipment/receive-shipment.controller';
import { OrderCommandHandler } from './commands/order-command.handler';
import { GetOrderController } from './queries/get-order/get-order.controller';
import { GetShipmentController } from './queries/get-shipment/get-shipment.controller';
import { ListOrdersController } from './queries/list-orders/list-orders.controller';
import { OrdersReadModel } from './read-model/orders.read-model';

/** Purchase orders and their shipments: the commands, the queries and the read model behind them. */
@Module({
  controllers: [
    PlaceOrderController,
    ListOrdersController,
    GetOrderController,
    DispatchShipmentController,
    CancelOrderController,
    GetShipmentController,
    DelayShipmentController,
    ReceiveShipmentController,
  ],
  providers: [OrderCommandHandler, OrdersReadModel],
})
export class OrdersModule {}
