import type { PowerEvent } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import { businessNow, EVENT_STORE } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { facilityNotFound } from '../domain/facility.errors';
import { facilityStreamId } from '../domain/facility-id';
import { foldFacility } from '../domain/facility.state';
import { toFacilityPowerView, type FacilityPowerView } from './facility-power.views';
import { RecentFacilityStates } from './recent-facility-states';

/**
 * A facility's power, folded from its stream: now from the recent state (or the latest snapshot)
 * and the events after it, as of an earlier instant from every event up to then (a snapshot is of
 * the head, not of a time).
 */
@Injectable()
export class FacilityPowerReadModel {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly recent: RecentFacilityStates,
  ) {}

  async now(facilityId: string, now: Date = businessNow()): Promise<FacilityPowerView> {
    const { state, version } = await this.recent.load(this.store, facilityStreamId(facilityId));
    if (version === 0) throw facilityNotFound(facilityId);
    return toFacilityPowerView(state, facilityId, now.getTime(), version);
  }

  async asOf(facilityId: string, at: Date): Promise<FacilityPowerView> {
    const { events } = await this.store.readStream<PowerEvent>(facilityStreamId(facilityId));
    const atMs = at.getTime();
    const until = events.filter((event) => Date.parse(event.metadata.occurredAt) <= atMs);
    if (until.length === 0) throw facilityNotFound(facilityId);
    const state = foldFacility(until.map((event) => ({ type: event.type, data: event.data }) as PowerEvent));
    return toFacilityPowerView(state, facilityId, atMs, until[until.length - 1].streamVersion);
  }
}
