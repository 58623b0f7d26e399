import { FacilityId, PutTariffRequest } from '@fleet/contracts';
import { CommandRequest, replyWithVersion, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller } from '@nestjs/common';
import { ENERGY_ADMINS } from '../../energy.roles';
import { TariffView } from '../../read-model/energy.views';
import { SetTariffHandler } from './set-tariff.handler';

@Controller('facilities')
export class SetTariffController {
  constructor(private readonly setTariff: SetTariffHandler) {}

  @Route({
    method: 'PUT',
    path: ':facilityId/tariff',
    roles: ENERGY_ADMINS,
    tag: 'power',
    summary:
      "Set how the facility's energy is priced from `effectiveFrom` (default now; the first tariff also prices what ran " +
      "before it): a fixed USD per kWh, or the market's posted interval prices. Published days it changes are published again.",
    response: TariffView,
    errors: { 404: 'The facility has no capacity record' },
  })
  async put(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PutTariffRequest) body: PutTariffRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<TariffView> {
    const { view, version } = await this.setTariff.execute(facilityId, body, context, ifMatch);
    return replyWithVersion(reply, view, { version });
  }
}
