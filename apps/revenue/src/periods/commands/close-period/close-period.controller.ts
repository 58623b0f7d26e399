import { FacilityId, Month } from '@fleet/contracts';
import { handleCommand, type EventStore } from '@fleet/event-sourcing';
import { businessNow, EVENT_STORE, eventMetadata, RequestContext, Route, ZodParam } from '@fleet/service-kit';
import { Controller, Inject } from '@nestjs/common';
import { PERIOD_STREAM_TYPE, periodStreamId } from '../../domain/period-id';
import { periodDecider } from '../../domain/period.decider';
import { facilityNotFound } from '../../domain/period.errors';
import { rigTimeFiguresOf } from '../../../rig-time/domain/rig-time-figures';
import { RigTimeReadModel } from '../../../rig-time/read-model/rig-time.read-model';
import { daysOf, lastDayOf } from '../../domain/calendar';
import { PeriodView, toPeriodView } from '../../read-model/period.views';
import { PeriodsReadModel } from '../../read-model/periods.read-model';
import { PERIOD_WRITERS } from '../../periods.roles';

@Controller('facilities')
export class ClosePeriodController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: PeriodsReadModel,
    private readonly rigTime: RigTimeReadModel,
  ) {}

  @Route({
    method: 'POST',
    path: ':facilityId/periods/:month/close',
    status: 200,
    roles: PERIOD_WRITERS,
    tag: 'periods',
    summary: "Close a facility's month",
    description:
      'Refused (409, `details.missing`) while a payout booked in the month has no fixing or a day of the month has ' +
      'no energy cost. Once closed, the month’s statement and journal never change; what still arrives for it is ' +
      'booked in the first open month as a late entry naming it. Closing a closed month answers it as it is.',
    response: PeriodView,
    errors: {
      404: 'Nothing was ever booked for the facility',
      409: 'Payouts without a fixing or days without an energy cost (all listed)',
    },
  })
  async close(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodParam('month', Month) month: string,
    @RequestContext() context: RequestContext,
  ): Promise<PeriodView> {
    // Revenue knows a facility by its bookings: closing a month of one it never heard of is a typo.
    if (!(await this.readModel.hasBookings(facilityId))) throw facilityNotFound(facilityId);
    const now = businessNow();
    // The month's rig time as counted now is frozen with the close: a power event that arrives later
    // changes the live sums, never the closed statement.
    const rigTime = rigTimeFiguresOf(
      await this.rigTime.sumsUpTo(facilityId, lastDayOf(month)),
      daysOf(month),
      now.getTime(),
    );
    const { answer } = await handleCommand(
      this.store,
      periodDecider,
      { type: 'ClosePeriod', data: { facilityId, period: month, closedAt: now.toISOString(), rigTime } },
      {
        streamId: periodStreamId(facilityId, month),
        streamType: PERIOD_STREAM_TYPE,
        metadata: eventMetadata(context, facilityId),
        answer: async (_result, session) =>
          toPeriodView(
            facilityId,
            month,
            await this.readModel.findPeriod(facilityId, month, session.manager),
          ),
      },
    );
    return answer;
  }
}
