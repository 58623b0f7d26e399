import type { PostEnergyPricesRequest } from '@fleet/contracts';
import { inCommandTransaction, type EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { dayOf } from '../../domain/energy-days';
import { facilityNotFound } from '../../domain/energy.errors';
import { EnergyReadModel } from '../../read-model/energy.read-model';
import type { EnergyPricesView } from '../../read-model/energy.views';
import { EnergyCostAccrual } from '../accrue-energy-cost/energy-cost-accrual';
import { EnergyCommandHandler, type EnergyAnswer } from '../energy-command.handler';

/** Posts the prices, then publishes again the published days they price differently, in one transaction. */
@Injectable()
export class PostEnergyPricesHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: EnergyReadModel,
    private readonly energy: EnergyCommandHandler,
    private readonly accrual: EnergyCostAccrual,
  ) {}

  execute(
    facilityId: string,
    body: PostEnergyPricesRequest,
    context: RequestContext,
    ifMatch: number | undefined,
  ): Promise<EnergyAnswer<EnergyPricesView>> {
    const metadata = eventMetadata(context, facilityId);
    return inCommandTransaction(this.store, ifMatch === undefined ? 3 : 0, async (session) => {
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
      const { corrected, version } = await this.accrual.correct(session, facilityId, days, metadata);
      return { view: { facilityId, intervals: body.intervals.length, correctedDays: corrected }, version };
    });
  }
}
