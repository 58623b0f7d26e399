import { FleetServiceModule } from '@fleet/service-kit';
import { Module } from '@nestjs/common';
import { DashboardModule } from './dashboard/dashboard.module';
import { FleetReportModule } from './fleet-report/fleet-report.module';
import { headquartersOf } from './headquarters/headquarters-settings';
import { LiveModule } from './live/live.module';
import { REPORTING_MIGRATIONS } from './migrations';
import { RebuildModule } from './rebuild/rebuild.module';
import { PnlReportModule } from './pnl-report/pnl-report.module';
import { PowerReportModule } from './power-report/power-report.module';
import { ProcurementReportModule } from './procurement-report/procurement-report.module';
import { ReportCheckpointEntity } from './report-kit/report-checkpoint.entity';
import { ReportDocumentEntity } from './report-kit/report-document.entity';
import { ReportActiveGenerationEntity, ReportGenerationEntity } from './report-kit/report-generation.entity';
import { StatusModule } from './status/status.module';

/**
 * Reports: consumes every context's stream and publishes nothing (no context, no events: no
 * stream of its own and no relay). One module per report, each with the consumer that feeds it.
 * At headquarters the same consumers read the streams that source every facility's.
 */
@Module({
  imports: [
    FleetServiceModule.forRoot({
      service: 'reporting',
      events: [],
      entities: [
        ReportDocumentEntity,
        ReportCheckpointEntity,
        ReportGenerationEntity,
        ReportActiveGenerationEntity,
      ],
      migrations: REPORTING_MIGRATIONS,
      // REPORTING_MODE=hq: every facility's streams, sourced at headquarters (docs/hq.md).
      headquarters: (names) => headquartersOf(process.env, names),
    }),
    FleetReportModule,
    ProcurementReportModule,
    PowerReportModule,
    PnlReportModule,
    StatusModule,
    RebuildModule,
    LiveModule,
    DashboardModule,
  ],
})
export class AppModule {}
