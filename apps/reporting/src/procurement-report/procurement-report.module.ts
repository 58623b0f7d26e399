import { Module } from '@nestjs/common';
import { ReportDocumentsReadModel } from '../report-kit/report-documents.read-model';
import { ProcurementEventsConsumer } from './consumers/procurement-events.consumer';
import { GetProcurementReportController } from './queries/get-procurement-report/get-procurement-report.controller';
import { ProcurementReportReadModel } from './read-model/procurement-report.read-model';

/** The procurement report: the pipeline per order and model, from procurement's events. */
@Module({
  controllers: [GetProcurementReportController, ProcurementEventsConsumer],
  providers: [ProcurementReportReadModel, ReportDocumentsReadModel],
})
export class ProcurementReportModule {}
