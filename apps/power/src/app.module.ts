import { POWER_EVENTS } from '@fleet/contracts';
import { FleetServiceModule } from '@fleet/service-kit';
import { Module } from '@nestjs/common';
import { FacilitiesModule } from './facilities/facilities.module';
import { CurtailmentEntity } from './facilities/read-model/curtailment.entity';
import { CurtailmentsProjection } from './facilities/read-model/curtailments.projection';
import { IntervalPriceEntity } from './facilities/read-model/interval-price.entity';
import { PowerRigEntity } from './facilities/read-model/power-rig.entity';
import { POWER_MIGRATIONS } from './migrations';

/** Facility power: owns the `facility-<id>` streams, publishes POWER, consumes inventory's rig events. */
@Module({
  imports: [
    FleetServiceModule.forRoot({
      service: 'power',
      context: 'power',
      events: POWER_EVENTS,
      entities: [PowerRigEntity, CurtailmentEntity, IntervalPriceEntity],
      projections: [CurtailmentsProjection],
      migrations: POWER_MIGRATIONS,
    }),
    FacilitiesModule,
  ],
})
export class AppModule {}
