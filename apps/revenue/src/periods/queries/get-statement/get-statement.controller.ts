import { FacilityId, Month } from '@fleet/contracts';
import { Route, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { StatementView, toPeriodView, toStatementView } from '../../read-model/period.views';
import { PeriodsReadModel } from '../../read-model/periods.read-model';
import { statementOf } from '../../read-model/statement';
import { PERIOD_READERS } from '../../periods.roles';

@Controller('facilities')
export class GetStatementController {
  constructor(private readonly readModel: PeriodsReadModel) {}

  @Route({
    method: 'GET',
    path: ':facilityId/statements/:month',
    roles: PERIOD_READERS,
    tag: 'periods',
    summary: "A facility's month: revenue per coin and in USD, energy, gross margin",
    description:
      'From the entries booked in the month, so a closed month’s statement never changes. Late entries for closed ' +
      'months are shown apart (`priorPeriodAdjustments`). Rig-hours, uptime and revenue per TH/s are not built yet (null).',
    response: StatementView,
  })
  async get(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodParam('month', Month) month: string,
  ): Promise<StatementView> {
    const [period, lines] = await Promise.all([
      this.readModel.findPeriod(facilityId, month),
      this.readModel.journalOf(facilityId, month),
    ]);
    return toStatementView(toPeriodView(facilityId, month, period), statementOf(lines));
  }
}
