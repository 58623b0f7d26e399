import { FacilityId } from '@fleet/contracts';
import { businessNow, Route, ZodParam, ZodQuery } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { trialBalanceOf } from '../../domain/trial-balance';
import { toJournalLine } from '../../read-model/journal-line.entity';
import { toTrialBalanceView, TrialBalanceView } from '../../read-model/period.views';
import { PeriodsReadModel } from '../../read-model/periods.read-model';
import { PERIOD_READERS } from '../../periods.roles';
import { GetTrialBalanceQuery } from './get-trial-balance.query';

@Controller('facilities')
export class GetTrialBalanceController {
  constructor(private readonly readModel: PeriodsReadModel) {}

  @Route({
    method: 'GET',
    path: ':facilityId/trial-balance',
    roles: PERIOD_READERS,
    tag: 'periods',
    summary: "A facility's trial balance: debits and credits per account, in USD and per coin",
    response: TrialBalanceView,
  })
  async get(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodQuery(GetTrialBalanceQuery) query: GetTrialBalanceQuery,
  ): Promise<TrialBalanceView> {
    const asOf = query.asOf ?? businessNow().toISOString().slice(0, 10);
    const lines = await this.readModel.linesUpTo(facilityId, asOf);
    return toTrialBalanceView(facilityId, asOf, trialBalanceOf(lines.map(toJournalLine)));
  }
}
