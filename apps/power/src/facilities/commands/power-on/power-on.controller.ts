import { FacilityId, PowerRequest } from '@fleet/contracts';
import { CommandRequest, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { PowerOnView } from '../../read-model/facility-power.views';
import { POWER_OPERATORS } from '../../facilities.roles';
import { PowerOnHandler } from './power-on.handler';

@Controller('facilities')
export class PowerOnController {
  constructor(private readonly powerOn: PowerOnHandler) {}

  @Route({
    method: 'POST',
    path: ':facilityId/power-on',
    status: 200,
    roles: POWER_OPERATORS,
    tag: 'power',
    summary:
      'Power rigs on in the order given (racks in order, rigs by slot) while the facility and each rack have room; ' +
      'each rig not powered is listed with its reason',
    response: PowerOnView,
  })
  execute(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PowerRequest) body: PowerRequest,
    @CommandRequest() { context }: CommandRequest,
  ): Promise<PowerOnView> {
    return this.powerOn.execute(facilityId, body, context);
  }
}
