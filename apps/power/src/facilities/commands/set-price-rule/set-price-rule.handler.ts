import type { PutPriceRuleRequest } from '@fleet/contracts';
import { handleCommand, type EventStore } from '@fleet/event-sourcing';
import { businessNow, EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { facilityDecider, facilitySnapshots } from '../../domain/facility.decider';
import { FACILITY_STREAM_TYPE, facilityStreamId } from '../../domain/facility-id';
import { wattsOfKw } from '../../domain/power-units';
import { lockFacility } from '../advisory-locks';
import { CurtailmentSchedule } from '../curtailment-schedule/curtailment-schedule';
import { PriceRuleCurtailments } from '../follow-energy-prices/price-rule-curtailments';

/**
 * A new price rule, and in the same transaction its curtailments for the intervals posted and not
 * over yet: new ones where a price is now above the strike, and the rule's earlier ones ended
 * where it is not (or the target changed).
 */
@Injectable()
export class SetPriceRuleHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly priceRule: PriceRuleCurtailments,
    private readonly schedule: CurtailmentSchedule,
  ) {}

  /** The facility stream's version after it all. */
  async execute(
    facilityId: string,
    request: PutPriceRuleRequest,
    context: RequestContext,
    ifMatch?: number,
  ): Promise<number> {
    const now = businessNow();
    const metadata = eventMetadata(context, facilityId, null, now);
    const version = await this.store.transaction(async (session) => {
      await lockFacility(session.manager, facilityId);
      await handleCommand(
        session,
        facilityDecider,
        {
          type: 'SetPriceRule',
          data: {
            facilityId,
            strikeUsdPerMwh: request.strikeUsdPerMwh,
            curtailToWatts: wattsOfKw(request.curtailToKw),
          },
        },
        {
          streamId: facilityStreamId(facilityId),
          streamType: FACILITY_STREAM_TYPE,
          metadata,
          snapshots: facilitySnapshots,
          ifMatchVersion: ifMatch,
          maxRetries: 0,
        },
      );
      return (await this.priceRule.apply(session, facilityId, metadata, now)).version;
    });
    this.schedule.wake();
    return version;
  }
}
