import { FacilityId, PutTariffRequest } from '@fleet/contracts';
import { inCommandTransaction, type EventStore } from '@fleet/event-sourcing';
import {
  CommandRequest,
  EVENT_STORE,
  eventMetadata,
  replyWithVersion,
  Route,
  ZodBody,
  ZodParam,
} from '@fleet/service-kit';
import { Controller, Inject } from '@nestjs/common';
import { ENERGY_ADMINS } from '../../energy.roles';
import { TariffView } from '../../read-model/energy.views';
import { EnergyCommandHandler } from '../energy-command.handler';

@Controller('facilities')
export class SetTariffController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly energy: EnergyCommandHandler,
  ) {}

  @Route({
    method: 'PUT',
    path: ':facilityId/tariff',
    roles: ENERGY_ADMINS,
    tag: 'power',
    summary:
      "Set how the facility's energy is priced: a fixed USD per kWh, or the market's posted interval prices " +
      '(days already published keep their cost unless their readings change)',
    response: TariffView,
  })
  async put(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PutTariffRequest) tariff: PutTariffRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<TariffView> {
    const { version } = await inCommandTransaction(this.store, ifMatch === undefined ? 3 : 0, (session) =>
      this.energy.execute(
        session,
        { type: 'SetTariff', data: { facilityId, tariff } },
        eventMetadata(context, facilityId),
        { ifMatchVersion: ifMatch },
      ),
    );
    return replyWithVersion(reply, { facilityId, tariff }, { version });
  }
}
