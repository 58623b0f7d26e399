import { FacilityId } from '@fleet/contracts';
import { DomainError, type EventStore } from '@fleet/event-sourcing';
import { businessNow, EVENT_STORE, Route, ZodParam, ZodQuery } from '@fleet/service-kit';
import { Controller, Inject } from '@nestjs/common';
import { facilityNotFound } from '../../../facilities/domain/facility.errors';
import { forecastCapacity } from '../../domain/capacity-forecast';
import { FORECAST_READERS } from '../../forecast.roles';
import { ForecastReadModel } from '../../read-model/forecast.read-model';
import { CapacityForecastView, toCapacityForecastView } from '../../read-model/forecast.views';
import { CapacityForecastQuery, MAX_FORECAST_DAYS } from './capacity-forecast.query';

const DAY_MS = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

@Controller('facilities')
export class CapacityForecastController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: ForecastReadModel,
  ) {}

  @Route({
    method: 'GET',
    path: ':facilityId/capacity-forecast',
    roles: FORECAST_READERS,
    tag: 'power',
    summary:
      'A dated timeline of capacity in force, committed load (allocated), incoming load (units ordered and in transit by ' +
      'expected arrival × nominal watts × PUE) and shortfall, with the first date the facility cannot power what ' +
      'arrives and the orders and shipments that cause it',
    response: CapacityForecastView,
    errors: { 404: 'The facility has no power record' },
  })
  get(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodQuery(CapacityForecastQuery) query: CapacityForecastQuery,
  ): Promise<CapacityForecastView> {
    const now = businessNow().getTime();
    const from = dateOf(now);
    const until = query.until ?? dateOf(now + 365 * DAY_MS);
    if (until < from || Date.parse(until) - Date.parse(from) > MAX_FORECAST_DAYS * DAY_MS)
      throw new DomainError(
        'invalid',
        'invalid-until',
        `until must be from ${from} to ${MAX_FORECAST_DAYS} days after`,
        {
          until,
        },
      );
    return this.store.transaction(async (session) => {
      const capacity = await this.readModel.capacity(session, facilityId);
      if (!capacity) throw facilityNotFound(facilityId);
      const arrivals = await this.readModel.arrivals(session, facilityId);
      return toCapacityForecastView(
        facilityId,
        { from, until },
        capacity,
        forecastCapacity(capacity, arrivals, from, until),
      );
    });
  }
}
