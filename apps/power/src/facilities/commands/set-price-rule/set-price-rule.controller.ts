import { FacilityId, PutPriceRuleRequest } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { wattsOfKw } from '../../domain/power-units';
import { FACILITY_ADMINS } from '../../facilities.roles';
import { PriceRuleView } from '../../read-model/price-rule.views';
import { FacilityCommandHandler } from '../facility-command.handler';

@Controller('facilities')
export class SetPriceRuleController {
  constructor(private readonly facilities: FacilityCommandHandler) {}

  @Route({
    method: 'PUT',
    path: ':facilityId/price-rule',
    roles: FACILITY_ADMINS,
    tag: 'power',
    summary:
      'Curtail the facility to curtailToKw (at the meter) for exactly every posted energy-price interval above ' +
      'strikeUsdPerMwh',
    response: PriceRuleView,
    errors: { 404: 'The facility has no power record' },
  })
  async put(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PutPriceRuleRequest) body: PutPriceRuleRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<PriceRuleView> {
    const command = {
      type: 'SetPriceRule' as const,
      data: {
        facilityId,
        strikeUsdPerMwh: body.strikeUsdPerMwh,
        curtailToWatts: wattsOfKw(body.curtailToKw),
      },
    };
    const { version } = await this.facilities.execute(
      facilityId,
      context,
      () => Promise.resolve(command),
      ifMatch,
    );
    return replyWithVersion(reply, { facilityId, ...body }, { version });
  }
}
