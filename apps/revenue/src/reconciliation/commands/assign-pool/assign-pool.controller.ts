import { AssignPoolRequest, FacilityId, PoolName } from '@fleet/contracts';
import { DomainError, handleCommand, type EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, RequestContext, Route, ZodBody, ZodParam } from '@fleet/service-kit';
import { Controller, Inject } from '@nestjs/common';
import { PERIOD_WRITERS } from '../../../periods/periods.roles';
import { PeriodsReadModel } from '../../../periods/read-model/periods.read-model';
import { RigTimeReadModel } from '../../../rig-time/read-model/rig-time.read-model';
import { POOL_ASSIGNMENT_STREAM_TYPE, poolAssignmentStreamId } from '../../domain/pool-assignment-id';
import { poolAssignmentDecider } from '../../domain/pool-assignment.decider';
import { PoolAssignmentView } from '../../read-model/reconciliation.views';

@Controller('facilities')
export class AssignPoolController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly periods: PeriodsReadModel,
    private readonly rigTime: RigTimeReadModel,
  ) {}

  @Route({
    method: 'PUT',
    path: ':facilityId/pools/:pool',
    status: 200,
    roles: PERIOD_WRITERS,
    tag: 'reconciliation',
    summary: "Point a share of a facility's hashrate of a coin at a pool",
    description:
      'Reconciliation expects from each pool its share of the coin’s hashrate. Without any assignment, a coin paid by ' +
      'a single pool expects everything from it. The same share again is a no-op; shares of a coin above 1 in total are ' +
      'refused (409).',
    response: PoolAssignmentView,
    errors: {
      404: 'Revenue has neither a booking nor a rig of the facility',
      409: 'The coin’s shares would add up to more than 1',
    },
  })
  async assign(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodParam('pool', PoolName) pool: string,
    @ZodBody(AssignPoolRequest) body: AssignPoolRequest,
    @RequestContext() context: RequestContext,
  ): Promise<PoolAssignmentView> {
    // A facility revenue never heard of (no booking, no rig event) is a typo, as for the close.
    if (!(await this.periods.hasBookings(facilityId)) && !(await this.rigTime.hasRigTime(facilityId)))
      throw new DomainError(
        'not_found',
        'facility-not-found',
        `revenue has neither a booking nor a rig of facility ${facilityId}`,
        { facilityId },
      );
    const data = { facilityId, pool, coin: body.coin, hashrateShare: body.hashrateShare };
    await handleCommand(
      this.store,
      poolAssignmentDecider,
      { type: 'AssignPool', data },
      {
        streamId: poolAssignmentStreamId(facilityId),
        streamType: POOL_ASSIGNMENT_STREAM_TYPE,
        metadata: eventMetadata(context, facilityId),
      },
    );
    return data;
  }
}
