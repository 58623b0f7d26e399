import { INVENTORY_EVENTS } from '@fleet/contracts';
import { FleetServiceModule } from '@fleet/service-kit';
import { Module } from '@nestjs/common';
import { FacilitySummaryController } from './facilities/queries/facility-summary/facility-summary.controller';
import { INVENTORY_MIGRATIONS } from './migrations';
import { ListModelsController } from './models/list-models.controller';
import { INVENTORY_ENTITIES } from './read-model';
import { RegisterReceivedRigsHandler } from './receiving/register-received-rigs.handler';
import { BulkInstallController } from './rigs/commands/bulk-install/bulk-install.controller';
import { BulkInstallHandler } from './rigs/commands/bulk-install/bulk-install.handler';
import { DecommissionRigController } from './rigs/commands/decommission-rig/decommission-rig.controller';
import { InstallRigController } from './rigs/commands/install-rig/install-rig.controller';
import { RegisterRigController } from './rigs/commands/register-rig/register-rig.controller';
import { RepairRigController } from './rigs/commands/repair-rig/repair-rig.controller';
import { ReturnRigController } from './rigs/commands/return-rig/return-rig.controller';
import { GetRigController } from './rigs/queries/get-rig/get-rig.controller';
import { ListRigsController } from './rigs/queries/list-rigs/list-rigs.controller';
import { RigHistoryController } from './rigs/queries/rig-history/rig-history.controller';
import { RigCommandService } from './rigs/rig-command.service';
import { RigSlotsProjection } from './rigs/rig-slots.projection';
import { RigsProjection } from './rigs/rigs.projection';
import { RigsReadModel } from './rigs/rigs.read-model';

/** The rig registry: owns the `rig-<id>` streams, publishes INVENTORY, consumes procurement's receipts. */
@Module({
  imports: [
    FleetServiceModule.forRoot({
      service: 'inventory',
      context: 'inventory',
      events: INVENTORY_EVENTS,
      entities: INVENTORY_ENTITIES,
      migrations: INVENTORY_MIGRATIONS,
      projections: [RigsProjection, RigSlotsProjection],
    }),
  ],
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
    RegisterReceivedRigsHandler,
  ],
  providers: [RigsReadModel, RigCommandService, BulkInstallHandler],
})
export class AppModule {}
