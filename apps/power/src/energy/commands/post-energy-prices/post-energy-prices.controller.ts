import { FacilityId, PostEnergyPricesRequest } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { ENERGY_OPERATORS } from '../../energy.roles';
import { EnergyPricesView } from '../../read-model/energy.views';
import { PostEnergyPricesHandler } from './post-energy-prices.handler';

@Controller('facilities')
export class PostEnergyPricesController {
  constructor(private readonly postPrices: PostEnergyPricesHandler) {}

  @Route({
    method: 'POST',
    path: ':facilityId/energy-prices',
    status: 200,
    roles: ENERGY_OPERATORS,
    tag: 'power',
    summary:
      "Post the facility's market prices per interval (USD per MWh); a later posting of an interval replaces its " +
      'price. The market tariff costs energy at them; published days they change are published again.',
    response: EnergyPricesView,
    errors: { 404: 'The facility has no capacity record' },
  })
  async post(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PostEnergyPricesRequest) body: PostEnergyPricesRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<EnergyPricesView> {
    const { view, version } = await this.postPrices.execute(facilityId, body, context, ifMatch);
    return replyWithVersion(reply, view, { version });
  }
}
