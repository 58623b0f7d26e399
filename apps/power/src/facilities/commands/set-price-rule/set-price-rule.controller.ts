import { FacilityId, PutPriceRuleRequest } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { FACILITY_ADMINS } from '../../facilities.roles';
import { PriceRuleView } from '../../read-model/price-rule.views';
import { SetPriceRuleHandler } from './set-price-rule.handler';

@Controller('facilities')
export class SetPriceRuleController {
  constructor(private readonly setPriceRule: SetPriceRuleHandler) {}

  @Route({
    method: 'PUT',
    path: ':facilityId/price-rule',
    roles: FACILITY_ADMINS,
    tag: 'power',
    summary:
      'Curtail the facility to curtailToKw (at the meter) for exactly every posted energy-price interval above ' +
      'strikeUsdPerMwh; intervals posted and not over yet are weighed again at once',
    response: PriceRuleView,
    errors: { 404: 'The facility has no power record' },
  })
  async put(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PutPriceRuleRequest) body: PutPriceRuleRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<PriceRuleView> {
    const version = await this.setPriceRule.execute(facilityId, body, context, ifMatch);
    return replyWithVersion(reply, { facilityId, ...body }, { version });
  }
}
