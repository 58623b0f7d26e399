import { Module } from '@nestjs/common';
import { ReportDocumentsReadModel } from '../report-kit/report-documents.read-model';
import { RevenueEventsConsumer } from './consumers/revenue-events.consumer';
import { GetPnlReportController } from './queries/get-pnl-report/get-pnl-report.controller';
import { PnlReportReadModel } from './read-model/pnl-report.read-model';

/** The P&L report: revenue, energy cost and margin per facility and month, from revenue's events. */
@Module({
  controllers: [GetPnlReportController, RevenueEventsConsumer],
  providers: [PnlReportReadModel, ReportDocumentsReadModel],
})
export class PnlReportModule {}
