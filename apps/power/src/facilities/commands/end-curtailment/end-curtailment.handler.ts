import type { CurtailmentEnding } from '@fleet/contracts';
import type { RequestContext } from '@fleet/service-kit';
import { Injectable } from '@nestjs/common';
import { businessNow } from '@fleet/service-kit';
import { facilityStreamId } from '../../domain/facility-id';
import { PowerRigsReadModel } from '../../read-model/power-rigs.read-model';
import { RecentFacilityStates } from '../../read-model/recent-facility-states';
import { FacilityCommandHandler } from '../facility-command.handler';
import { shedRigPlacements } from './shed-rig-placements';

/**
 * Ends a curtailment (asked for, or by the schedule at its `endsAt`): the rigs it shed, each with
 * its placement from power's view of inventory, read under the facility's lock. Ending one already
 * ended appends nothing, so two instances ending it at once end it once.
 */
@Injectable()
export class EndCurtailmentHandler {
  constructor(
    private readonly facilities: FacilityCommandHandler,
    private readonly recent: RecentFacilityStates,
    private readonly rigs: PowerRigsReadModel,
  ) {}

  async execute(
    facilityId: string,
    curtailmentId: string,
    ending: CurtailmentEnding,
    context: RequestContext,
    now: () => Date = businessNow,
  ): Promise<void> {
    await this.facilities.execute(facilityId, context, async (session) => ({
      type: 'EndCurtailment',
      data: {
        facilityId,
        curtailmentId,
        ending,
        at: now().toISOString(),
        placements: await shedRigPlacements(
          session.manager,
          this.rigs,
          (await this.recent.load(session, facilityStreamId(facilityId))).state,
          facilityId,
          curtailmentId,
        ),
      },
    }));
  }
}
