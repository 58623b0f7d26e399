import { INVENTORY_EVENTS } from '@fleet/contracts';
import { FleetServiceModule } from '@fleet/service-kit';
import { Module } from '@nestjs/common';
import { INVENTORY_MIGRATIONS } from './migrations';
import { RigEntity } from './rigs/read-model/rig.entity';
import { RigSlotEntity } from './rigs/read-model/rig-slot.entity';
import { RigSlotsProjection } from './rigs/read-model/rig-slots.projection';
import { RigsProjection } from './rigs/read-model/rigs.projection';
import { RigsModule } from './rigs/rigs.module';

/** The rig registry: owns the `rig-<id>` streams, publishes INVENTORY, consumes procurement's receipts. */
@Module({
  imports: [
    FleetServiceModule.forRoot({
      service: 'inventory',
      context: 'inventory',
      events: INVENTORY_EVENTS,
      entities: [RigEntity, RigSlotEntity],
      migrations: INVENTORY_MIGRATIONS,
      projections: [RigsProjection, RigSlotsProjection],
    }),
    RigsModule,
  ],
})
export class AppModule {}
