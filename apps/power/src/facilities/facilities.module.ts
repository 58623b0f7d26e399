import { Module } from '@nestjs/common';
import { FacilityCommandHandler } from './commands/facility-command.handler';
import { FollowInventoryRigsConsumer } from './commands/follow-inventory-rigs/follow-inventory-rigs.consumer';
import { PowerOffController } from './commands/power-off/power-off.controller';
import { PowerOnController } from './commands/power-on/power-on.controller';
import { PowerOnHandler } from './commands/power-on/power-on.handler';
import { ScheduleCapacityController } from './commands/schedule-capacity/schedule-capacity.controller';
import { SetRackBudgetController } from './commands/set-rack-budget/set-rack-budget.controller';
import { FacilityPowerController } from './queries/facility-power/facility-power.controller';
import { FacilityPowerReadModel } from './read-model/facility-power.read-model';
import { PowerRigsReadModel } from './read-model/power-rigs.read-model';
import { RecentFacilityStates } from './read-model/recent-facility-states';

/** A facility's power: capacity, rack budgets, the power saga with inventory, and its queries. */
@Module({
  controllers: [
    ScheduleCapacityController,
    SetRackBudgetController,
    PowerOnController,
    PowerOffController,
    FacilityPowerController,
    FollowInventoryRigsConsumer,
  ],
  providers: [
    FacilityCommandHandler,
    PowerOnHandler,
    FacilityPowerReadModel,
    PowerRigsReadModel,
    RecentFacilityStates,
  ],
})
export class FacilitiesModule {}
