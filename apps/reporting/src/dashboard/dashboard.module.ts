import { Module } from '@nestjs/common';
import { DASHBOARD_SETTINGS, DashboardAssets } from './dashboard-assets';
import { dashboardSettingsOf } from './dashboard-settings';

/** The dashboard page (`GET /` and its assets), built by `apps/dashboard`. */
@Module({
  providers: [
    DashboardAssets,
    { provide: DASHBOARD_SETTINGS, useFactory: () => dashboardSettingsOf(process.env) },
  ],
})
export class DashboardModule {}
