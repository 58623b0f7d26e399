import type { CurtailmentEnding } from '@fleet/contracts';
import type { EventStoreSession } from '@fleet/event-sourcing';
import type { RequestContext } from '@fleet/service-kit';
import { Injectable } from '@nestjs/common';
import type { EndCurtailment, RigPlacement } from '../../domain/facility.commands';
import { facilityStreamId } from '../../domain/facility-id';
import { placementOf } from '../../domain/power-rig';
import { PowerRigsReadModel } from '../../read-model/power-rigs.read-model';
import { RecentFacilityStates } from '../../read-model/recent-facility-states';
import { FacilityCommandHandler } from '../facility-command.handler';

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
    now: () => Date = () => new Date(),
  ): Promise<void> {
    await this.facilities.execute(facilityId, context, async (session) => ({
      type: 'EndCurtailment',
      data: {
        facilityId,
        curtailmentId,
        ending,
        at: now().toISOString(),
        placements: await this.placements(session, facilityId, curtailmentId),
      },
    }));
  }

  private async placements(
    session: EventStoreSession,
    facilityId: string,
    curtailmentId: string,
  ): Promise<EndCurtailment['data']['placements']> {
    const { state } = await this.recent.load(session, facilityStreamId(facilityId));
    const shed = [...state.curtailed]
      .filter(([, rig]) => rig.curtailmentId === curtailmentId)
      .map(([id]) => id);
    const known = await this.rigs.findByIds(session.manager, shed);
    const placements = new Map<string, RigPlacement | null>();
    for (const rigId of shed) {
      const rig = known.get(rigId);
      placements.set(rigId, rig ? placementOf(rig, facilityId) : null);
    }
    return placements;
  }
}
