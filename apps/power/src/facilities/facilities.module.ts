import { Module } from '@nestjs/common';
import { CurtailController } from './commands/curtail/curtail.controller';
import { CurtailHandler } from './commands/curtail/curtail.handler';
import { CurtailmentSchedule } from './commands/curtailment-schedule/curtailment-schedule';
import { EndCurtailmentController } from './commands/end-curtailment/end-curtailment.controller';
import { EndCurtailmentHandler } from './commands/end-curtailment/end-curtailment.handler';
import { FacilityCommandHandler } from './commands/facility-command.handler';
import { FollowEnergyPricesConsumer } from './commands/follow-energy-prices/follow-energy-prices.consumer';
import { PriceRuleCurtailments } from './commands/follow-energy-prices/price-rule-curtailments';
import { FollowInventoryRigsConsumer } from './commands/follow-inventory-rigs/follow-inventory-rigs.consumer';
import { PowerOffController } from './commands/power-off/power-off.controller';
import { PowerOnController } from './commands/power-on/power-on.controller';
import { PowerOnHandler } from './commands/power-on/power-on.handler';
import { ScheduleCapacityController } from './commands/schedule-capacity/schedule-capacity.controller';
import { SetPriceRuleController } from './commands/set-price-rule/set-price-rule.controller';
import { SetPriceRuleHandler } from './commands/set-price-rule/set-price-rule.handler';
import { SetRackBudgetController } from './commands/set-rack-budget/set-rack-budget.controller';
import { FacilityPowerController } from './queries/facility-power/facility-power.controller';
import { GetCurtailmentController } from './queries/get-curtailment/get-curtailment.controller';
import { CurtailmentsReadModel } from './read-model/curtailments.read-model';
import { IntervalPricesReadModel } from './read-model/interval-prices.read-model';
import { FacilityPowerReadModel } from './read-model/facility-power.read-model';
import { PowerRigsReadModel } from './read-model/power-rigs.read-model';
import { FacilitySnapshotWriter } from './read-model/facility-snapshot-writer';
import { RecentFacilityStates } from './read-model/recent-facility-states';

/** A facility's power: capacity, rack budgets, the power saga with inventory, curtailments, and its queries. */
@Module({
  controllers: [
    ScheduleCapacityController,
    SetRackBudgetController,
    PowerOnController,
    PowerOffController,
    FacilityPowerController,
    CurtailController,
    EndCurtailmentController,
    GetCurtailmentController,
    SetPriceRuleController,
    FollowInventoryRigsConsumer,
    FollowEnergyPricesConsumer,
  ],
  providers: [
    FacilityCommandHandler,
    PowerOnHandler,
    FacilityPowerReadModel,
    PowerRigsReadModel,
    RecentFacilityStates,
    FacilitySnapshotWriter,
    CurtailHandler,
    EndCurtailmentHandler,
    CurtailmentSchedule,
    CurtailmentsReadModel,
    IntervalPricesReadModel,
    PriceRuleCurtailments,
    SetPriceRuleHandler,
  ],
})
export class FacilitiesModule {}
