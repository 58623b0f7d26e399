import { Module } from '@nestjs/common';
import { FollowProcurementConsumer } from './commands/follow-procurement/follow-procurement.consumer';
import { CapacityForecastController } from './queries/capacity-forecast/capacity-forecast.controller';
import { ForecastReadModel } from './read-model/forecast.read-model';

/** Capacity planning: what procurement says is coming against what each facility can power, by date. */
@Module({
  controllers: [FollowProcurementConsumer, CapacityForecastController],
  providers: [ForecastReadModel],
})
export class ForecastModule {}
