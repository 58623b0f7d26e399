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
import { dayOf } from '../../domain/energy-days';
import { ENERGY_ADMINS } from '../../energy.roles';
import { EnergyReadModel } from '../../read-model/energy.read-model';
import { TariffView } from '../../read-model/energy.views';
import { EnergyCostAccrual } from '../accrue-energy-cost/energy-cost-accrual';
import { EnergyCommandHandler } from '../energy-command.handler';

/** A date is its midnight UTC. */
const instantOf = (value: string) =>
  new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString();

@Controller('facilities')
export class SetTariffController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: EnergyReadModel,
    private readonly energy: EnergyCommandHandler,
    private readonly accrual: EnergyCostAccrual,
  ) {}

  @Route({
    method: 'PUT',
    path: ':facilityId/tariff',
    roles: ENERGY_ADMINS,
    tag: 'power',
    summary:
      "Set how the facility's energy is priced from `effectiveFrom` (default now; the first tariff also prices what ran " +
      "before it): a fixed USD per kWh, or the market's posted interval prices. Published days it changes are published again.",
    response: TariffView,
  })
  async put(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PutTariffRequest) body: PutTariffRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<TariffView> {
    const { effectiveFrom: given, ...tariff } = body;
    const metadata = eventMetadata(context, facilityId);
    const effectiveFrom = given === undefined ? metadata.occurredAt : instantOf(given);
    const { view, version } = await inCommandTransaction(
      this.store,
      ifMatch === undefined ? 3 : 0,
      async (session) => {
        const earlier = await this.readModel.tariffs(session.manager, facilityId);
        await this.energy.execute(
          session,
          { type: 'SetTariff', data: { facilityId, tariff, effectiveFrom } },
          metadata,
          { ifMatchVersion: ifMatch },
        );
        // A new first tariff prices every day before it too.
        const first = earlier.length === 0 || Date.parse(effectiveFrom) <= earlier[0].sinceMs;
        const from = first ? '0000-01-01' : dayOf(Date.parse(effectiveFrom));
        const corrected = await this.accrual.correct(session, facilityId, { from }, metadata);
        return {
          view: { facilityId, tariff, effectiveFrom, correctedDays: corrected.corrected },
          version: corrected.version,
        };
      },
    );
    return replyWithVersion(reply, view, { version });
  }
}
