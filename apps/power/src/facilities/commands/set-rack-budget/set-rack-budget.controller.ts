import { FacilityId, PutRackBudgetRequest, RackId } from '@fleet/contracts';
import { businessNow, CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { wattsOfKw } from '../../domain/power-units';
import { FACILITY_ADMINS } from '../../facilities.roles';
import { FacilityPowerView, toFacilityPowerView } from '../../read-model/facility-power.views';
import { FacilityCommandHandler } from '../facility-command.handler';

@Controller('facilities')
export class SetRackBudgetController {
  constructor(private readonly facilities: FacilityCommandHandler) {}

  @Route({
    method: 'PUT',
    path: ':facilityId/racks/:rack',
    roles: FACILITY_ADMINS,
    tag: 'power',
    summary:
      "Set a rack's budget (its PDU or breaker limit, on IT watts); allocations above a lowered budget stay until released",
    response: FacilityPowerView,
  })
  async put(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodParam('rack', RackId) rack: string,
    @ZodBody(PutRackBudgetRequest) body: PutRackBudgetRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<FacilityPowerView> {
    const command = {
      type: 'SetRackBudget' as const,
      data: { facilityId, rack, budgetWatts: wattsOfKw(body.budgetKw) },
    };
    const { state, version } = await this.facilities.execute(
      facilityId,
      context,
      () => Promise.resolve(command),
      ifMatch,
    );
    const view = toFacilityPowerView(state, facilityId, businessNow().getTime(), version);
    return replyWithVersion(reply, view, { version });
  }
}
