import { REVENUE_EVENTS } from '@fleet/contracts';
import { FleetServiceModule } from '@fleet/service-kit';
import { Module } from '@nestjs/common';
import { HashValuesModule } from './hash-values/hash-values.module';
import { REVENUE_MIGRATIONS } from './migrations';
import { PeriodsModule } from './periods/periods.module';
import { PricesModule } from './prices/prices.module';
import { REVENUE_ENTITIES, REVENUE_PROJECTIONS } from './read-models';
import { ReconciliationModule } from './reconciliation/reconciliation.module';

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
      entities: REVENUE_ENTITIES,
      migrations: REVENUE_MIGRATIONS,
      projections: REVENUE_PROJECTIONS,
    }),
    PeriodsModule,
    PricesModule,
    HashValuesModule,
    ReconciliationModule,
  ],
})
export class AppModule {}
