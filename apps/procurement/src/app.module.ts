import { Module } from '@nestjs/common';
import { PROCUREMENT_EVENTS } from '@fleet/contracts';
import { FleetServiceModule } from '@fleet/service-kit';
import { ProcurementReadModels1793001000000 } from './migrations/1793001000000-procurement-read-models';
import { OrdersModule } from './orders/orders.module';
import { OrdersProjection } from './orders/orders.projection';
import { OrdersTable } from './orders/read-model/orders.entity';
import { ReceivedSerialsTable } from './orders/read-model/received-serials.entity';
import { ShipmentsTable } from './orders/read-model/shipments.entity';
import { ReceivedSerialsProjection } from './orders/received-serials.projection';

/** Procurement: purchase orders, shipments and receipts; publishes the `PROCUREMENT` stream. */
@Module({
  imports: [
    FleetServiceModule.forRoot({
      service: 'procurement',
      context: 'procurement',
      events: PROCUREMENT_EVENTS,
      entities: [OrdersTable, ShipmentsTable, ReceivedSerialsTable],
      migrations: [ProcurementReadModels1793001000000],
      // The serial check first: a refused receipt should not cost the order view's work.
      projections: [ReceivedSerialsProjection, OrdersProjection],
    }),
    OrdersModule,
  ],
})
export class AppModule {}
