import {
  handleCommand,
  loadAggregate,
  type EventMetadata,
  type EventStoreSession,
} from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import type { FacilityCommand } from '../../domain/facility.commands';
import { facilityDecider, facilitySnapshots } from '../../domain/facility.decider';
import { FACILITY_STREAM_TYPE, facilityStreamId } from '../../domain/facility-id';
import { planPriceRule } from '../../domain/price-rule';
import { IntervalPricesReadModel } from '../../read-model/interval-prices.read-model';
import { PowerRigsReadModel } from '../../read-model/power-rigs.read-model';
import { lockFacility } from '../advisory-locks';
import { shedRigPlacements } from '../end-curtailment/shed-rig-placements';

/**
 * Carries out the price rule's plan (`planPriceRule`) for a facility in the caller's transaction:
 * after prices are posted, and after the rule changes. The facility's lock comes first, so the plan
 * is made from the state it appends to.
 */
@Injectable()
export class PriceRuleCurtailments {
  constructor(
    private readonly prices: IntervalPricesReadModel,
    private readonly rigs: PowerRigsReadModel,
  ) {}

  /** How many curtailments it scheduled and ended, and the facility stream's version after them. */
  async apply(
    session: EventStoreSession,
    facilityId: string,
    metadata: EventMetadata,
    now: Date,
  ): Promise<{ scheduled: number; ended: number; version: number }> {
    await lockFacility(session.manager, facilityId);
    const streamId = facilityStreamId(facilityId);
    const { state, version } = await loadAggregate(session, facilityDecider, streamId, facilitySnapshots);
    if (version === 0) return { scheduled: 0, ended: 0, version };
    const coming = await this.prices.comingIn(session.manager, facilityId, now);
    const plan = planPriceRule(state, facilityId, coming, now);
    const run = (command: FacilityCommand) =>
      handleCommand(session, facilityDecider, command, {
        streamId,
        streamType: FACILITY_STREAM_TYPE,
        metadata,
        snapshots: facilitySnapshots,
      });
    let current = { state, version };
    for (const curtailmentId of plan.end) {
      const placements = await shedRigPlacements(
        session.manager,
        this.rigs,
        current.state,
        facilityId,
        curtailmentId,
      );
      current = await run({
        type: 'EndCurtailment',
        data: { facilityId, curtailmentId, ending: 'price-rule', at: now.toISOString(), placements },
      });
    }
    for (const command of plan.curtail) current = await run(command);
    return { scheduled: plan.curtail.length, ended: plan.end.length, version: current.version };
  }
}
