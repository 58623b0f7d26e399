import { FacilityId, PutCapacityRequest } from '@fleet/contracts';
import { businessNow, CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { pueMilliOf, wattsOfKw } from '../../domain/power-units';
import { FACILITY_ADMINS } from '../../facilities.roles';
import { FacilityPowerView, toFacilityPowerView } from '../../read-model/facility-power.views';
import { FacilityCommandHandler } from '../facility-command.handler';

@Controller('facilities')
export class ScheduleCapacityController {
  constructor(private readonly facilities: FacilityCommandHandler) {}

  @Route({
    method: 'PUT',
    path: ':facilityId/capacity',
    roles: FACILITY_ADMINS,
    tag: 'power',
    summary:
      "Set the facility's dated capacity schedule (at the meter), reserve and PUE; the capacity in force is the " +
      'last step whose effectiveFrom has passed. Allocations above a lowered capacity stay until released.',
    response: FacilityPowerView,
  })
  async put(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PutCapacityRequest) body: PutCapacityRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<FacilityPowerView> {
    const command = {
      type: 'ScheduleCapacity' as const,
      data: {
        facilityId,
        schedule: body.schedule.map((step) => ({
          effectiveFrom: step.effectiveFrom,
          capacityWatts: wattsOfKw(step.capacityKw),
        })),
        reserveWatts: wattsOfKw(body.reserveKw),
        pueMilli: pueMilliOf(body.pue),
      },
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
