import type { EventEnvelope, EventPage } from '@fleet/contracts';
import { call } from './fleet';
import type { ServiceProcess } from './service-process';

/**
 * A service's `GET /events` read on from where the last read stopped, keeping the events of the
 * types asked for: a test can poll a busy feed (power's, with its allocations) without reading it
 * from the start each time.
 */
export class EventFeed {
  private after: string | undefined;
  private readonly kept: EventEnvelope[] = [];

  constructor(
    private readonly service: ServiceProcess,
    private readonly types: ReadonlySet<string>,
  ) {}

  /** Reads what is new, and answers every kept event so far, in feed order. */
  async read(): Promise<readonly EventEnvelope[]> {
    for (;;) {
      const query = this.after === undefined ? '?limit=1000' : `?after=${this.after}&limit=1000`;
      const page = await call<EventPage>(this.service, 'GET', `/events${query}`);
      if (page.status !== 200) throw new Error(`GET /events answered ${page.status}`);
      if (page.body.items.length === 0) return this.kept;
      this.kept.push(...page.body.items.filter((event) => this.types.has(event.type)));
      this.after = page.body.nextAfter ?? this.after;
    }
  }
}
