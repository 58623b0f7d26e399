import type { PowerEvent } from '@fleet/contracts';
import {
  loadAggregate,
  type EventStore,
  type EventStoreSession,
  type LoadedAggregate,
} from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import { facilityDecider, facilitySnapshots } from '../domain/facility.decider';
import { foldFacility, type FacilityState } from '../domain/facility.state';

/**
 * Each facility's state as this instance last loaded or left it (states are never mutated), so a
 * command or a read at 13,300 allocations neither parses a snapshot nor rebuilds its maps: it
 * reads only the events appended since (by another instance, by the release consumer), usually
 * none. A command appends at the version loaded, so a state another writer overtook in between
 * fails with a conflict and is loaded afresh on the retry.
 */
@Injectable()
export class RecentFacilityStates {
  private readonly states = new Map<string, LoadedAggregate<FacilityState>>();

  /** The stream's current state: the recent one and the events after it, else snapshot and events. */
  async load(
    reader: EventStore | EventStoreSession,
    streamId: string,
  ): Promise<LoadedAggregate<FacilityState>> {
    const recent = this.states.get(streamId);
    const loaded = recent
      ? await this.catchUp(reader, streamId, recent)
      : await loadAggregate(reader, facilityDecider, streamId, facilitySnapshots);
    if (loaded.version > 0) this.remember(streamId, loaded);
    return loaded;
  }

  /** A state a command committed. */
  remember(streamId: string, loaded: LoadedAggregate<FacilityState>): void {
    const known = this.states.get(streamId);
    if (!known || known.version < loaded.version) this.states.set(streamId, loaded);
  }

  private async catchUp(
    reader: EventStore | EventStoreSession,
    streamId: string,
    recent: LoadedAggregate<FacilityState>,
  ): Promise<LoadedAggregate<FacilityState>> {
    const { events, version } = await reader.readStream<PowerEvent>(streamId, {
      afterVersion: recent.version,
    });
    if (events.length === 0) return recent;
    const state = foldFacility(
      events.map((event) => ({ type: event.type, data: event.data }) as PowerEvent),
      recent.state,
    );
    return { state, version: Math.max(version, recent.version) };
  }
}
