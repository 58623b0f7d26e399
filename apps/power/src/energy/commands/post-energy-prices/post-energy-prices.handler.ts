import type { PostEnergyPricesRequest } from '@fleet/contracts';
import { eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Injectable } from '@nestjs/common';
import { dayOf } from '../../domain/energy-days';
import type { EnergyPricesView } from '../../read-model/energy.views';
import { EnergyCostAccrual } from '../accrue-energy-cost/energy-cost-accrual';
import { EnergyCommandHandler, type EnergyAnswer } from '../energy-command.handler';

/** Posts the prices, then publishes again the published days they price differently, in one transaction. */
@Injectable()
export class PostEnergyPricesHandler {
  constructor(
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
    return this.energy.inFacilityTransaction(facilityId, ifMatch, 3, async (session) => {
      const left = await this.energy.execute(
        session,
        { type: 'PostEnergyPrices', data: { facilityId, intervals: body.intervals } },
        metadata,
        { ifMatchVersion: ifMatch },
      );
      // Prices that come after their day was published change its cost under the market tariff.
      const days = body.intervals.map((interval) => dayOf(Date.parse(interval.start)));
      const { corrected, version } = await this.accrual.correct(session, facilityId, days, metadata, left);
      return { view: { facilityId, intervals: body.intervals.length, correctedDays: corrected }, version };
    });
  }
}
