import { EventPage, type EventEnvelope } from '@fleet/contracts';

/** Events per `GET /events` page a rebuild asks for (the service's maximum). */
const PAGE_LIMIT = 1000;

/** A service's `GET /events`, for the part of its history its stream no longer holds. */
export class EventFeedClient {
  constructor(
    /** e.g. `http://procurement:3001` (setting `PROCUREMENT_URL`). */
    readonly baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {}

  /** Every event after `after`, in position order, while `until(envelope)` holds. */
  async *read(after: string, until: (envelope: EventEnvelope) => boolean): AsyncGenerator<EventEnvelope> {
    let cursor = after;
    for (;;) {
      const url = `${this.baseUrl.replace(/\/$/, '')}/events?after=${cursor}&limit=${PAGE_LIMIT}`;
      const response = await fetch(url, {
        headers: {
          accept: 'application/json',
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
      });
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
      const page = EventPage.parse(await response.json());
      for (const envelope of page.items) {
        if (!until(envelope)) return;
        yield envelope;
      }
      if (page.nextAfter === null) return;
      cursor = page.nextAfter;
    }
  }
}
