import { FacilityId, Month } from '@fleet/contracts';
import { businessNow, Route, ZodParam, ZodQuery } from '@fleet/service-kit';
import { Controller, Inject } from '@nestjs/common';
import { z } from 'zod';
import { PERIOD_READERS } from '../../../periods/periods.roles';
import { reconcile } from '../../domain/reconcile';
import { ReconciliationReadModel } from '../../read-model/reconciliation.read-model';
import { ReconciliationView, toReconciliationLineView } from '../../read-model/reconciliation.views';
import { RECONCILIATION_SETTINGS, type ReconciliationSettings } from '../../reconciliation-settings';

export const GetReconciliationQuery = z.object({ month: Month });
export type GetReconciliationQuery = z.infer<typeof GetReconciliationQuery>;

@Controller('facilities')
export class GetReconciliationController {
  constructor(
    private readonly readModel: ReconciliationReadModel,
    @Inject(RECONCILIATION_SETTINGS) private readonly settings: ReconciliationSettings,
  ) {}

  @Route({
    method: 'GET',
    path: ':facilityId/reconciliation',
    roles: PERIOD_READERS,
    tag: 'reconciliation',
    summary: "A facility's month, per day and pool: expected payout against received",
    description:
      'Expected = online rig-days (from power’s allocations) × each model’s nominal hashrate × the day’s hash value × ' +
      'the pool’s share of the coin’s hashrate. Payouts are spread over the days of their period pro rata. A line is ' +
      '`flagged` once complete and beyond `RECONCILIATION_TOLERANCE_PERCENT` (default 3); a day not yet over counts ' +
      'rig time up to now and is never complete.',
    response: ReconciliationView,
  })
  async get(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodQuery(GetReconciliationQuery) query: GetReconciliationQuery,
  ): Promise<ReconciliationView> {
    const now = businessNow();
    const inputs = await this.readModel.inputsOf(
      facilityId,
      query.month,
      now.getTime(),
      this.settings.tolerancePercent,
    );
    return {
      facilityId,
      month: query.month,
      tolerancePercent: this.settings.tolerancePercent,
      asOf: now.toISOString(),
      lines: reconcile(inputs).map(toReconciliationLineView),
    };
  }
}
