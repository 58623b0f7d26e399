import { Module } from '@nestjs/common';
import { RebuildModule } from '../rebuild/rebuild.module';
import { GetReportStatusController } from './queries/get-report-status/get-report-status.controller';
import { ReportStatusReadModel } from './report-status.read-model';

/** Where the reports stand: each source stream's consumer, its lag, and the rebuild. */
@Module({
  imports: [RebuildModule],
  controllers: [GetReportStatusController],
  providers: [ReportStatusReadModel],
})
export class StatusModule {}
