import { REVENUE_EVENTS } from '@fleet/contracts';
import { FleetServiceModule } from '@fleet/service-kit';
import { Module } from '@nestjs/common';
import { HashValueEntity } from './hash-values/read-model/hash-value.entity';
import { HashValuesModule } from './hash-values/hash-values.module';
import { HashValuesProjection } from './hash-values/read-model/hash-values.projection';
import { REVENUE_MIGRATIONS } from './migrations';
import { EnergyDayEntity } from './periods/read-model/energy-day.entity';
import { EnergyDaysProjection } from './periods/read-model/energy-days.projection';
import { JournalLineEntity } from './periods/read-model/journal-line.entity';
import { JournalLinesProjection } from './periods/read-model/journal-lines.projection';
import { PayoutEntity } from './periods/read-model/payout.entity';
import { PayoutsProjection } from './periods/read-model/payouts.projection';
import { PeriodEntity } from './periods/read-model/period.entity';
import { PeriodsProjection } from './periods/read-model/periods.projection';
import { PeriodsModule } from './periods/periods.module';
import { PriceEntity } from './prices/read-model/price.entity';
import { PricesProjection } from './prices/read-model/prices.projection';
import { PricesModule } from './prices/prices.module';
import { PoolAssignmentEntity } from './reconciliation/read-model/pool-assignment.entity';
import { PoolAssignmentsProjection } from './reconciliation/read-model/pool-assignments.projection';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RigTimeSumEntity } from './rig-time/read-model/rig-time-sum.entity';

/**
 * Revenue accounting: owns the `period-<facility>-<month>`, `price-…`, `hash-value-…`, `pools-…` and
 * `payout-variance-…` streams, publishes REVENUE, consumes power's energy costs and allocations and
 * inventory's slot events (rig time).
 */
@Module({
  imports: [
    FleetServiceModule.forRoot({
      service: 'revenue',
      context: 'revenue',
      events: REVENUE_EVENTS,
      entities: [
        PayoutEntity,
        JournalLineEntity,
        EnergyDayEntity,
        PeriodEntity,
        PriceEntity,
        HashValueEntity,
        RigTimeSumEntity,
        PoolAssignmentEntity,
      ],
      migrations: REVENUE_MIGRATIONS,
      projections: [
        PayoutsProjection,
        JournalLinesProjection,
        EnergyDaysProjection,
        PeriodsProjection,
        PricesProjection,
        HashValuesProjection,
        PoolAssignmentsProjection,
      ],
    }),
    PeriodsModule,
    PricesModule,
    HashValuesModule,
    ReconciliationModule,
  ],
})
export class AppModule {}
