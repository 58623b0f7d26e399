import { Module } from '@nestjs/common';
import { PROCUREMENT_EVENTS } from '@fleet/contracts';
import { FleetServiceModule } from '@fleet/service-kit';
import { PROCUREMENT_MIGRATIONS } from './migrations';
import { OrdersModule } from './orders/orders.module';
import { OrderEntity } from './orders/read-model/order.entity';
import { OrdersProjection } from './orders/read-model/orders.projection';
import { ReceivedSerialEntity } from './orders/read-model/received-serial.entity';
import { ReceivedSerialsProjection } from './orders/read-model/received-serials.projection';
import { ShipmentEntity } from './orders/read-model/shipment.entity';
import { ShipmentsProjection } from './orders/read-model/shipments.projection';

/** Procurement: purchase orders, shipments and receipts; publishes the `PROCUREMENT` stream. */
@Module({
  imports: [
    FleetServiceModule.forRoot({
      service: 'procurement',
      context: 'procurement',
      events: PROCUREMENT_EVENTS,
      entities: [OrderEntity, ShipmentEntity, ReceivedSerialEntity],
      migrations: PROCUREMENT_MIGRATIONS,
      // The serial check first: a refused receipt should not cost the order and shipment rows' work.
      projections: [ReceivedSerialsProjection, OrdersProjection, ShipmentsProjection],
    }),
    OrdersModule,
  ],
})
export class AppModule {}
