import { Module } from '@nestjs/common';
import { RigTimeModule } from '../rig-time/rig-time.module';
import { BookEnergyCostConsumer } from './commands/book-energy-cost/book-energy-cost.consumer';
import { ClosePeriodController } from './commands/close-period/close-period.controller';
import { ImportPayoutsController } from './commands/import-payouts/import-payouts.controller';
import { RecordPayoutController } from './commands/record-payout/record-payout.controller';
import { RecordPayoutsHandler } from './commands/record-payouts.handler';
import { GetJournalController } from './queries/get-journal/get-journal.controller';
import { GetStatementController } from './queries/get-statement/get-statement.controller';
import { GetTrialBalanceController } from './queries/get-trial-balance/get-trial-balance.controller';
import { PeriodsReadModel } from './read-model/periods.read-model';

/** Facility months: payouts, energy costs, the journal and the close, with their reads. */
@Module({
  imports: [RigTimeModule],
  controllers: [
    // The bulk route `POST /payouts/import` next to `POST /payouts`.
    ImportPayoutsController,
    RecordPayoutController,
    ClosePeriodController,
    GetStatementController,
    GetJournalController,
    GetTrialBalanceController,
    BookEnergyCostConsumer,
  ],
  providers: [PeriodsReadModel, RecordPayoutsHandler],
})
export class PeriodsModule {}
