import { Module } from '@nestjs/common';
import { BulkInstallController } from './commands/bulk-install/bulk-install.controller';
import { BulkInstallHandler } from './commands/bulk-install/bulk-install.handler';
import { DecommissionRigController } from './commands/decommission-rig/decommission-rig.controller';
import { FollowRigPowerConsumer } from './commands/follow-rig-power/follow-rig-power.consumer';
import { InstallRigController } from './commands/install-rig/install-rig.controller';
import { RegisterReceivedRigsConsumer } from './commands/register-received-rigs/register-received-rigs.consumer';
import { RegisterRigController } from './commands/register-rig/register-rig.controller';
import { RepairRigController } from './commands/repair-rig/repair-rig.controller';
import { ReturnRigController } from './commands/return-rig/return-rig.controller';
import { RigCommandHandler } from './commands/rig-command.handler';
import { FacilitySummaryController } from './queries/facility-summary/facility-summary.controller';
import { GetRigController } from './queries/get-rig/get-rig.controller';
import { ListModelsController } from './queries/list-models/list-models.controller';
import { ListRigsController } from './queries/list-rigs/list-rigs.controller';
import { RigHistoryController } from './queries/rig-history/rig-history.controller';
import { RigsReadModel } from './read-model/rigs.read-model';

/** The rig registry: its commands, the receipt and power consumers, its queries and the read model behind them. */
@Module({
  controllers: [
    ListModelsController,
    // The bulk route `POST /rigs/install` before `POST /rigs/:id/…`.
    BulkInstallController,
    RegisterRigController,
    InstallRigController,
    RepairRigController,
    ReturnRigController,
    DecommissionRigController,
    ListRigsController,
    GetRigController,
    RigHistoryController,
    FacilitySummaryController,
    RegisterReceivedRigsConsumer,
    FollowRigPowerConsumer,
  ],
  providers: [RigsReadModel, RigCommandHandler, BulkInstallHandler],
})
export class RigsModule {}
