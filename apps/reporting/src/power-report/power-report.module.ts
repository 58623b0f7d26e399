import { Module } from '@nestjs/common';
import { ReportDocumentsReadModel } from '../report-kit/report-documents.read-model';
import { PowerEventsConsumer } from './consumers/power-events.consumer';
import { GetPowerReportController } from './queries/get-power-report/get-power-report.controller';
import { PowerReportReadModel } from './read-model/power-report.read-model';

/** The power report: capacity, load and utilisation over time, from power's events. */
@Module({
  controllers: [GetPowerReportController, PowerEventsConsumer],
  providers: [PowerReportReadModel, ReportDocumentsReadModel],
})
export class PowerReportModule {}
