import { Module } from '@nestjs/common';
import { ReportDocumentsReadModel } from '../report-kit/report-documents.read-model';
import { FleetInventoryConsumer } from './consumers/fleet-inventory.consumer';
import { GetFleetReportController } from './queries/get-fleet-report/get-fleet-report.controller';
import { FleetReportReadModel } from './read-model/fleet-report.read-model';

/** The fleet report: rigs by status, model and facility, from inventory's events. */
@Module({
  controllers: [GetFleetReportController, FleetInventoryConsumer],
  providers: [FleetReportReadModel, ReportDocumentsReadModel],
})
export class FleetReportModule {}
