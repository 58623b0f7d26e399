import type { PowerRequest } from '@fleet/contracts';
import type { EventStoreSession } from '@fleet/event-sourcing';
import type { RequestContext } from '@fleet/service-kit';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { businessNow } from '@fleet/service-kit';
import type { PowerCandidate } from '../../domain/facility.commands';
import { placementOf } from '../../domain/power-rig';
import { requestOutcomeOf, type PowerOnView } from '../../read-model/facility-power.views';
import { PowerRigsReadModel } from '../../read-model/power-rigs.read-model';
import { FacilityCommandHandler } from '../facility-command.handler';

/**
 * A power-on: the rigs named, in the order they are to be powered, each with its placement from
 * power's view of inventory (read under the facility's lock), decided by the facility.
 */
@Injectable()
export class PowerOnHandler {
  constructor(
    private readonly facilities: FacilityCommandHandler,
    private readonly rigs: PowerRigsReadModel,
  ) {}

  async execute(facilityId: string, request: PowerRequest, context: RequestContext): Promise<PowerOnView> {
    const requestId = randomUUID();
    const at = businessNow().toISOString();
    const build = async (session: EventStoreSession) => ({
      type: 'PowerOn' as const,
      data: { facilityId, requestId, at, rigs: await this.candidates(session, facilityId, request) },
    });
    const { events } = request.dryRun
      ? await this.facilities.dryRun(facilityId, build)
      : await this.facilities.execute(facilityId, context, build);
    const { rigs, rejected } = requestOutcomeOf(events);
    return { dryRun: request.dryRun, powered: rigs, rejected };
  }

  /** `rigIds` in the order given; `racks` in the order given, each by slot; `all` by rack name, then slot. */
  private async candidates(
    session: EventStoreSession,
    facilityId: string,
    request: PowerRequest,
  ): Promise<PowerCandidate[]> {
    if (request.rigIds) {
      const known = await this.rigs.findByIds(session.manager, request.rigIds);
      return request.rigIds.map((rigId) => {
        const rig = known.get(rigId);
        return { rigId, placement: rig ? placementOf(rig, facilityId) : null };
      });
    }
    const installed = await this.rigs.installedIn(session.manager, facilityId, request.racks);
    const rackOrder = request.racks
      ? new Map([...new Set(request.racks)].map((rack, index) => [rack, index]))
      : null;
    const candidates: { rack: string; slot: number; candidate: PowerCandidate }[] = [];
    for (const rig of installed) {
      const placement = placementOf(rig, facilityId);
      if (placement)
        candidates.push({
          rack: placement.rack,
          slot: placement.slot,
          candidate: { rigId: rig.id, placement },
        });
    }
    const rackRank = (rack: string) => rackOrder?.get(rack) ?? 0;
    candidates.sort((a, b) => {
      const byRack = rackOrder ? rackRank(a.rack) - rackRank(b.rack) : byCodeUnits(a.rack, b.rack);
      return byRack !== 0 ? byRack : a.slot - b.slot;
    });
    return candidates.map(({ candidate }) => candidate);
  }
}

/** Rack names in code-unit order: the same on every machine and database (no collation). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
