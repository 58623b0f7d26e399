import type { PutTariffRequest } from '@fleet/contracts';
import { eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Injectable } from '@nestjs/common';
import { dayOf } from '../../domain/energy-days';
import { EnergyReadModel } from '../../read-model/energy.read-model';
import type { TariffView } from '../../read-model/energy.views';
import { EnergyCostAccrual } from '../accrue-energy-cost/energy-cost-accrual';
import { EnergyCommandHandler, type EnergyAnswer } from '../energy-command.handler';

/** A date is its midnight UTC. */
const instantOf = (value: string) =>
  new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString();

/** Sets the tariff, then publishes again the published days it prices differently, in one transaction. */
@Injectable()
export class SetTariffHandler {
  constructor(
    private readonly readModel: EnergyReadModel,
    private readonly energy: EnergyCommandHandler,
    private readonly accrual: EnergyCostAccrual,
  ) {}

  execute(
    facilityId: string,
    body: PutTariffRequest,
    context: RequestContext,
    ifMatch: number | undefined,
  ): Promise<EnergyAnswer<TariffView>> {
    const { effectiveFrom: given, ...tariff } = body;
    const metadata = eventMetadata(context, facilityId);
    const effectiveFrom = given === undefined ? metadata.occurredAt : instantOf(given);
    return this.energy.inFacilityTransaction(facilityId, ifMatch, 3, async (session) => {
      const earlier = await this.readModel.tariffs(session.manager, facilityId);
      const left = await this.energy.execute(
        session,
        { type: 'SetTariff', data: { facilityId, tariff, effectiveFrom } },
        metadata,
        { ifMatchVersion: ifMatch },
      );
      // A new first tariff prices every day before it too.
      const first = earlier.length === 0 || Date.parse(effectiveFrom) <= earlier[0].sinceMs;
      const from = first ? '0000-01-01' : dayOf(Date.parse(effectiveFrom));
      const { corrected, version } = await this.accrual.correct(
        session,
        facilityId,
        { from },
        metadata,
        left,
      );
      return { view: { facilityId, tariff, effectiveFrom, correctedDays: corrected }, version };
    });
  }
}
