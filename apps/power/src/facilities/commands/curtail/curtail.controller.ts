import { FacilityId, PostCurtailmentRequest } from '@fleet/contracts';
import { CommandRequest, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { POWER_OPERATORS } from '../../facilities.roles';
import { CurtailmentDecisionView } from '../../read-model/curtailment.views';
import { CurtailHandler } from './curtail.handler';

@Controller('facilities')
export class CurtailController {
  constructor(private readonly curtail: CurtailHandler) {}

  @Route({
    method: 'POST',
    path: ':facilityId/curtailments',
    status: 200,
    roles: POWER_OPERATORS,
    tag: 'power',
    summary:
      "Curtail the facility's load to targetLoadKw (or by reduceByKw) from startsAt (default now) to endsAt: rigs " +
      'are shed least efficient first (or by modelOrder), never a protected one, and restored when it ends; ' +
      'a dry run answers the rigs and kW it would shed now',
    response: CurtailmentDecisionView,
    errors: { 404: 'The facility has no power record' },
  })
  async execute(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PostCurtailmentRequest) body: PostCurtailmentRequest,
    @CommandRequest() { context, reply }: CommandRequest,
  ): Promise<CurtailmentDecisionView> {
    const answer = await this.curtail.execute(facilityId, body, context);
    if (!answer.curtailment) return answer;
    reply.header('location', `/facilities/${facilityId}/curtailments/${answer.curtailment.curtailmentId}`);
    return answer;
  }
}
