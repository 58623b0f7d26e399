import { FacilityId, Month, RigTimeFigures } from '@fleet/contracts';
import { businessNow, Route, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { rigTimeFiguresOf } from '../../../rig-time/domain/rig-time-figures';
import { RigTimeReadModel } from '../../../rig-time/read-model/rig-time.read-model';
import { daysOf, lastDayOf } from '../../domain/calendar';
import { StatementView, toPeriodView, toStatementView } from '../../read-model/period.views';
import { PeriodsReadModel } from '../../read-model/periods.read-model';
import { statementOf } from '../../read-model/statement';
import { PERIOD_READERS } from '../../periods.roles';

@Controller('facilities')
export class GetStatementController {
  constructor(
    private readonly readModel: PeriodsReadModel,
    private readonly rigTime: RigTimeReadModel,
  ) {}

  @Route({
    method: 'GET',
    path: ':facilityId/statements/:month',
    roles: PERIOD_READERS,
    tag: 'periods',
    summary: "A facility's month: revenue per coin and in USD, energy, gross margin, rig-hours, uptime",
    description:
      'From the entries booked in the month, so a closed month’s statement never changes. Late entries for closed ' +
      'months are shown apart (`priorPeriodAdjustments`). Rig time (rig-hours, uptime, revenue per TH/s per day) is ' +
      'counted up to now while the month is open and frozen by its close.',
    response: StatementView,
  })
  async get(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodParam('month', Month) month: string,
  ): Promise<StatementView> {
    const nowMs = businessNow().getTime();
    const [period, lines] = await Promise.all([
      this.readModel.findPeriod(facilityId, month),
      this.readModel.journalOf(facilityId, month),
    ]);
    const rigTime =
      period?.status === 'closed'
        ? period.rigTime
          ? RigTimeFigures.parse(JSON.parse(period.rigTime))
          : null
        : rigTimeFiguresOf(await this.rigTime.sumsUpTo(facilityId, lastDayOf(month)), daysOf(month), nowMs);
    return toStatementView(toPeriodView(facilityId, month, period), statementOf(lines), rigTime);
  }
}
