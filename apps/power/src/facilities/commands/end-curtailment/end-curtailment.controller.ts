import { FacilityId, Uuid } from '@fleet/contracts';
import { CommandRequest, Route, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { POWER_OPERATORS } from '../../facilities.roles';
import { CurtailmentView } from '../../read-model/curtailment.views';
import { CurtailmentsReadModel } from '../../read-model/curtailments.read-model';
import { EndCurtailmentHandler } from './end-curtailment.handler';

@Controller('facilities')
export class EndCurtailmentController {
  constructor(
    private readonly endCurtailment: EndCurtailmentHandler,
    private readonly curtailments: CurtailmentsReadModel,
  ) {}

  @Route({
    method: 'POST',
    path: ':facilityId/curtailments/:curtailmentId/end',
    status: 200,
    roles: POWER_OPERATORS,
    tag: 'power',
    summary:
      'End a curtailment now: the rigs it shed that are still installed are powered again within the capacity in ' +
      'force and the rack budgets, the others listed with their reason; ending an ended one changes nothing',
    response: CurtailmentView,
    errors: { 404: 'No such curtailment in this facility' },
  })
  async execute(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodParam('curtailmentId', Uuid) curtailmentId: string,
    @CommandRequest() { context }: CommandRequest,
  ): Promise<CurtailmentView> {
    // The row first: a curtailment of another facility is not found here, and nothing is appended.
    await this.curtailments.view(facilityId, curtailmentId);
    await this.endCurtailment.execute(facilityId, curtailmentId, 'requested', context);
    return this.curtailments.view(facilityId, curtailmentId);
  }
}
