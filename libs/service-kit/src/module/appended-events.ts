import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@fleet/event-sourcing';

type Listener = (events: readonly RecordedEvent[]) => void;

/**
 * The event store's `onAppended`, fanned out. The store is created before the relay that must
 * hear about its commits, so listeners subscribe late through this.
 */
@Injectable()
export class AppendedEvents {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Never throws: the events are committed whatever a listener does. */
  publish(events: readonly RecordedEvent[]): void {
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch {
        // A listener's failure (a metrics hiccup) must not surface as a failed command.
      }
    }
  }
}
