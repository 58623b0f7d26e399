import { Module } from '@nestjs/common';
import { PeriodsReadModel } from '../periods/read-model/periods.read-model';
import { RigTimeModule } from '../rig-time/rig-time.module';
import { AssignPoolController } from './commands/assign-pool/assign-pool.controller';
import { VarianceFlagger } from './commands/flag-variances/variance-flagger';
import { GetReconciliationController } from './queries/get-reconciliation/get-reconciliation.controller';
import { ReconciliationReadModel } from './read-model/reconciliation.read-model';
import { RECONCILIATION_SETTINGS, reconciliationSettingsOf } from './reconciliation-settings';

/** Expected payouts (rig time × hashrate × hash value) against received, and the variance flags. */
@Module({
  imports: [RigTimeModule],
  controllers: [AssignPoolController, GetReconciliationController],
  providers: [
    ReconciliationReadModel,
    // Read-only here: the facility check of a pool assignment.
    PeriodsReadModel,
    VarianceFlagger,
    { provide: RECONCILIATION_SETTINGS, useFactory: () => reconciliationSettingsOf(process.env) },
  ],
  exports: [VarianceFlagger],
})
export class ReconciliationModule {}
