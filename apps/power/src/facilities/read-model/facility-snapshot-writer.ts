import { type EventStore, type LoadedAggregate } from '@fleet/event-sourcing';
import { EVENT_STORE } from '@fleet/service-kit';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { facilitySnapshots } from '../domain/facility.decider';
import type { FacilityState } from '../domain/facility.state';

/**
 * Writes facilities' snapshots off the request path: after the transaction that asked for one,
 * in its own, one at a time, the newest state per facility only (a state asked for while an older
 * one of the same facility waits replaces it). Losing one (a crash, a failed write) costs nothing
 * but a longer replay at the next cold load, and the store never replaces a newer snapshot with
 * an older one, so two instances writing the same facility's do no harm.
 */
@Injectable()
export class FacilitySnapshotWriter implements OnModuleDestroy {
  private readonly logger = new Logger(FacilitySnapshotWriter.name);
  private readonly waiting = new Map<string, LoadedAggregate<FacilityState>>();
  private writing: Promise<void> | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Asks for the snapshot of `loaded` (committed already) to be written soon. */
  write(streamId: string, loaded: LoadedAggregate<FacilityState>): void {
    const waiting = this.waiting.get(streamId);
    if (!waiting || waiting.version < loaded.version) this.waiting.set(streamId, loaded);
    this.writing ??= this.drain();
  }

  /** Resolves once every snapshot asked for so far is written (or given up). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Shutting down: the snapshots asked for are written before the store closes. */
  onModuleDestroy(): Promise<void> {
    return this.settled();
  }

  private async drain(): Promise<void> {
    try {
      // The caller's transaction first: on SQLite it holds the only connection.
      await new Promise((resolve) => setImmediate(resolve));
      for (let next = this.waiting.entries().next(); !next.done; next = this.waiting.entries().next()) {
        const [streamId, { state, version }] = next.value;
        this.waiting.delete(streamId);
        try {
          await this.store.saveSnapshot({
            streamId,
            version,
            schemaVersion: facilitySnapshots.schemaVersion,
            state: facilitySnapshots.toSnapshot ? facilitySnapshots.toSnapshot(state) : state,
          });
        } catch (error) {
          this.logger.warn(
            `could not write the snapshot of ${streamId} at version ${version}, the next cold load replays more: ${String(error)}`,
          );
        }
      }
    } finally {
      this.writing = undefined;
    }
  }
}
