import { Module } from '@nestjs/common';
import { RebuildReportsController } from './commands/rebuild-reports/rebuild-reports.controller';
import { eventFeedsOf } from './rebuild-settings';
import { EVENT_FEEDS, RebuildRunner } from './rebuild-runner';

/** Rebuilding the reports in the running service: `POST /admin/rebuild`. */
@Module({
  controllers: [RebuildReportsController],
  providers: [RebuildRunner, { provide: EVENT_FEEDS, useFactory: () => eventFeedsOf(process.env) }],
  exports: [RebuildRunner],
})
export class RebuildModule {}
