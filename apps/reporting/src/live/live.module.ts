import { Module } from '@nestjs/common';
import { LiveReportStreams } from './live-report-streams';
import { LIVE_SETTINGS, liveSettingsOf } from './live-settings';
import { WatchReportsController } from './queries/watch-reports/watch-reports.controller';
import { ReportChangeWatcher } from './report-change-watcher';

/** `GET /reports/live`: which reports changed, pushed as server-sent events. */
@Module({
  controllers: [WatchReportsController],
  providers: [
    LiveReportStreams,
    ReportChangeWatcher,
    { provide: LIVE_SETTINGS, useFactory: () => liveSettingsOf(process.env) },
  ],
})
export class LiveModule {}
