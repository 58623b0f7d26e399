import { FacilityId } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE, Route, ZodParam, ZodQuery } from '@fleet/service-kit';
import { Controller, Inject } from '@nestjs/common';
import { facilityNotFound } from '../../domain/energy.errors';
import { ENERGY_READERS } from '../../energy.roles';
import { EnergyReadModel } from '../../read-model/energy.read-model';
import { FacilityEnergyView, toEnergyIntervalView } from '../../read-model/energy.views';
import { boundariesOf, FacilityEnergyQuery } from './facility-energy.query';

@Controller('facilities')
export class FacilityEnergyController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: EnergyReadModel,
  ) {}

  @Route({
    method: 'GET',
    path: ':facilityId/energy',
    roles: ENERGY_READERS,
    tag: 'power',
    summary:
      'Per hour or UTC day: the measured kWh, the estimated kWh (allocated nominal IT watts × time × PUE), which one is ' +
      'used (measured where readings cover the interval), PUE and cost in USD under the tariff',
    response: FacilityEnergyView,
    errors: { 404: 'The facility has no capacity record' },
  })
  async get(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodQuery(FacilityEnergyQuery) query: FacilityEnergyQuery,
  ): Promise<FacilityEnergyView> {
    return this.store.transaction(async (session) => {
      if (!(await this.readModel.hasCapacity(session.manager, facilityId)))
        throw facilityNotFound(facilityId);
      const { tariff, intervals } = await this.readModel.intervals(
        session.manager,
        facilityId,
        boundariesOf(query),
      );
      return {
        facilityId,
        from: new Date(query.from).toISOString(),
        to: new Date(query.to).toISOString(),
        interval: query.interval,
        tariff,
        intervals: intervals.map(toEnergyIntervalView),
      };
    });
  }
}
