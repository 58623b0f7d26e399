import { FacilityId, Uuid } from '@fleet/contracts';
import { Route, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { FACILITY_READERS } from '../../facilities.roles';
import { CurtailmentView } from '../../read-model/curtailment.views';
import { CurtailmentsReadModel } from '../../read-model/curtailments.read-model';

@Controller('facilities')
export class GetCurtailmentController {
  constructor(private readonly curtailments: CurtailmentsReadModel) {}

  @Route({
    method: 'GET',
    path: ':facilityId/curtailments/:curtailmentId',
    roles: FACILITY_READERS,
    tag: 'power',
    summary:
      'A curtailment: its target, schedule and status, the rigs it shed, restored and could not restore',
    response: CurtailmentView,
    errors: { 404: 'No such curtailment in this facility' },
  })
  get(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodParam('curtailmentId', Uuid) curtailmentId: string,
  ): Promise<CurtailmentView> {
    return this.curtailments.view(facilityId, curtailmentId);
  }
}
