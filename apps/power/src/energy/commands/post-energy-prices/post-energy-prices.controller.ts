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
import { dayOf } from '../../domain/energy-days';
import { facilityNotFound } from '../../domain/energy.errors';
import { ENERGY_OPERATORS } from '../../energy.roles';
import { EnergyReadModel } from '../../read-model/energy.read-model';
import { EnergyPricesView } from '../../read-model/energy.views';
import { EnergyCostAccrual } from '../accrue-energy-cost/energy-cost-accrual';
import { EnergyCommandHandler } from '../energy-command.handler';

@Controller('facilities')
export class PostEnergyPricesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: EnergyReadModel,
    private readonly energy: EnergyCommandHandler,
    private readonly accrual: EnergyCostAccrual,
  ) {}

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
  })
  async post(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PostEnergyPricesRequest) body: PostEnergyPricesRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<EnergyPricesView> {
    const metadata = eventMetadata(context, facilityId);
    const { version } = await inCommandTransaction(
      this.store,
      ifMatch === undefined ? 3 : 0,
      async (session) => {
        if (!(await this.readModel.hasCapacity(session.manager, facilityId)))
          throw facilityNotFound(facilityId);
        await this.energy.execute(
          session,
          { type: 'PostEnergyPrices', data: { facilityId, intervals: body.intervals } },
          metadata,
          { ifMatchVersion: ifMatch },
        );
        // Prices that come after their day was published change its cost under the market tariff.
        const days = body.intervals.map((interval) => dayOf(Date.parse(interval.start)));
        return this.accrual.correct(session, facilityId, days, metadata);
      },
    );
    return replyWithVersion(reply, { facilityId, intervals: body.intervals.length }, { version });
  }
}
