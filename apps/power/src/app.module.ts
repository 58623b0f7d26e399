import { POWER_EVENTS } from '@fleet/contracts';
import { FleetServiceModule } from '@fleet/service-kit';
import { Module } from '@nestjs/common';
import { EnergyModule } from './energy/energy.module';
import { ENERGY_ENTITIES } from './energy/read-model/energy.entities';
import { ENERGY_PROJECTIONS } from './energy/read-model/energy.projections';
import { FacilitiesModule } from './facilities/facilities.module';
import { CurtailmentEntity } from './facilities/read-model/curtailment.entity';
import { CurtailmentsProjection } from './facilities/read-model/curtailments.projection';
import { IntervalPriceEntity } from './facilities/read-model/interval-price.entity';
import { ForecastModule } from './forecast/forecast.module';
import { FORECAST_ENTITIES } from './forecast/read-model/forecast.entities';
import { PowerRigEntity } from './facilities/read-model/power-rig.entity';
import { POWER_MIGRATIONS } from './migrations';

/**
 * Facility power: owns the `facility-<id>` and `energy-<id>` streams, publishes POWER, consumes
 * inventory's rig events and procurement's orders and shipments.
 */
@Module({
  imports: [
    FleetServiceModule.forRoot({
      service: 'power',
      context: 'power',
      events: POWER_EVENTS,
      entities: [
        PowerRigEntity,
        CurtailmentEntity,
        IntervalPriceEntity,
        ...ENERGY_ENTITIES,
        ...FORECAST_ENTITIES,
      ],
      migrations: POWER_MIGRATIONS,
      projections: [CurtailmentsProjection, ...ENERGY_PROJECTIONS],
    }),
    FacilitiesModule,
    EnergyModule,
    ForecastModule,
  ],
})
export class AppModule {}
