import { FacilityId, PostEnergyPricesRequest } from '@fleet/contracts';
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
import { facilityNotFound } from '../../domain/energy.errors';
import { ENERGY_OPERATORS } from '../../energy.roles';
import { EnergyReadModel } from '../../read-model/energy.read-model';
import { EnergyPricesView } from '../../read-model/energy.views';
import { EnergyCommandHandler } from '../energy-command.handler';

@Controller('facilities')
export class PostEnergyPricesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: EnergyReadModel,
    private readonly energy: EnergyCommandHandler,
  ) {}

  @Route({
    method: 'POST',
    path: ':facilityId/energy-prices',
    status: 200,
    roles: ENERGY_OPERATORS,
    tag: 'power',
    summary:
      "Post the facility's market prices per interval (USD per MWh); a later posting of an interval replaces its " +
      'price. The market tariff costs energy at them.',
    response: EnergyPricesView,
  })
  async post(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PostEnergyPricesRequest) body: PostEnergyPricesRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<EnergyPricesView> {
    const { version } = await inCommandTransaction(
      this.store,
      ifMatch === undefined ? 3 : 0,
      async (session) => {
        if (!(await this.readModel.hasCapacity(session.manager, facilityId)))
          throw facilityNotFound(facilityId);
        return this.energy.execute(
          session,
          { type: 'PostEnergyPrices', data: { facilityId, intervals: body.intervals } },
          eventMetadata(context, facilityId),
          { ifMatchVersion: ifMatch },
        );
      },
    );
    return replyWithVersion(reply, { facilityId, intervals: body.intervals.length }, { version });
  }
}
