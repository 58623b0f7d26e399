import type { PowerEvent } from '@fleet/contracts';
import type { EventStore, EventStoreSession, LoadedAggregate } from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import { facilityDecider, facilitySnapshots } from '../domain/facility.decider';
import { replayWeightOf, snapshotWorthWriting } from '../domain/facility-snapshot-cost';
import { foldFacility, type FacilityState } from '../domain/facility.state';
import { FacilitySnapshotWriter } from './facility-snapshot-writer';

/** A facility's state as this instance knows it, and what its events since the last snapshot cost to replay. */
interface KnownFacility {
  readonly loaded: LoadedAggregate<FacilityState>;
  readonly replayWeight: number;
}

/**
 * Each facility's state as this instance last loaded or left it (states are never mutated), so a
 * command or a read at 13,300 allocations neither parses a snapshot nor rebuilds its maps: it
 * reads only the events appended since (by another instance, by the release consumer), usually
 * none. A command appends at the version loaded, so a state another writer overtook in between
 * fails with a conflict and is loaded afresh on the retry.
 *
 * Every state it learns of passes the snapshot rule (`facility-snapshot-cost.ts`): once the events
 * since the last snapshot would cost more to replay than a snapshot costs to write, the
 * `FacilitySnapshotWriter` writes one after the transaction.
 */
@Injectable()
export class RecentFacilityStates {
  private readonly states = new Map<string, KnownFacility>();

  constructor(private readonly snapshots: FacilitySnapshotWriter) {}

  /** The stream's current state: the recent one and the events after it, else snapshot and events. */
  async load(
    reader: EventStore | EventStoreSession,
    streamId: string,
  ): Promise<LoadedAggregate<FacilityState>> {
    const known = this.states.get(streamId);
    const afterVersion = known?.loaded.version ?? 0;
    let base = known?.loaded;
    let replayWeight = known?.replayWeight ?? 0;
    if (!base) {
      const snapshot = await reader.loadSnapshot<unknown>(streamId, facilitySnapshots.schemaVersion);
      base = snapshot
        ? { state: fromSnapshot(snapshot.state), version: snapshot.version }
        : { state: facilityDecider.initialState(), version: 0 };
    }
    const { events, version } = await reader.readStream<PowerEvent>(streamId, {
      afterVersion: Math.max(afterVersion, base.version),
    });
    if (known && events.length === 0) return known.loaded;
    const loaded = {
      state: foldFacility(
        events.map((event) => ({ type: event.type, data: event.data }) as PowerEvent),
        base.state,
      ),
      version: Math.max(version, base.version),
    };
    for (const event of events) replayWeight += replayWeightOf(event);
    if (loaded.version > 0) this.advance(streamId, loaded, replayWeight);
    return loaded;
  }

  /** A state a command committed, with the events it appended. */
  remember(
    streamId: string,
    loaded: LoadedAggregate<FacilityState>,
    appended: readonly { readonly data: unknown }[],
  ): void {
    const known = this.states.get(streamId);
    if (known && known.loaded.version >= loaded.version) return;
    let replayWeight = known?.replayWeight ?? 0;
    for (const event of appended) replayWeight += replayWeightOf(event);
    this.advance(streamId, loaded, replayWeight);
  }

  private advance(streamId: string, loaded: LoadedAggregate<FacilityState>, replayWeight: number): void {
    const worthIt = snapshotWorthWriting(replayWeight, loaded.state);
    if (worthIt) this.snapshots.write(streamId, loaded);
    this.states.set(streamId, { loaded, replayWeight: worthIt ? 0 : replayWeight });
  }
}

function fromSnapshot(stored: unknown): FacilityState {
  return facilitySnapshots.fromSnapshot ? facilitySnapshots.fromSnapshot(stored) : (stored as FacilityState);
}
