import { randomUUID } from 'node:crypto';
import { EventPage, type EventEnvelope } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import { feedCaughtUp, TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { EVENT_STORE } from '../src';
import { ADMIN_KEY, startWidgetsApp, type WidgetsApp } from './widgets-app';

const PAGE_MAX_BYTES = 16 * 1024;

const dataBytes = (item: EventEnvelope): number => Buffer.byteLength(JSON.stringify(item.data));

describe.each(TEST_DRIVERS)('GET /events over large events on %s', (driver) => {
  let widgets: WidgetsApp;

  beforeAll(async () => {
    widgets = await startWidgetsApp(driver, { EVENTS_PAGE_MAX_BYTES: String(PAGE_MAX_BYTES) });
  });

  afterAll(async () => {
    await widgets?.close();
  });

  async function page(after: string | null, limit: number): Promise<EventPage> {
    const response = await widgets.app.inject({
      method: 'GET',
      url: `/events?limit=${limit}${after === null ? '' : `&after=${after}`}`,
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(response.statusCode).toBe(200);
    return EventPage.parse(response.json());
  }

  it('ends a page at the byte budget, under it but for its last event, and reads on without a gap', async () => {
    const store = widgets.app.get<EventStore>(EVENT_STORE);
    const sizes = [3, 9, 1, 14, 6, 6, 2, 20, 5, 4, 11, 7].map((kib) => kib * 1024);
    const appended = await store.appendToStreams(
      sizes.map((size) => {
        const widgetId = randomUUID();
        return {
          streamId: `widget-${widgetId}`,
          streamType: 'widget',
          expectedVersion: 'no_stream' as const,
          // The bulk rides in a field the projection does not store.
          events: [
            {
              type: 'WidgetCreated',
              data: { widgetId, facilityId: 'site-1', name: 'w', note: 'n'.repeat(size) },
            },
          ],
        };
      }),
      {
        correlationId: randomUUID(),
        causationId: null,
        actor: 'test',
        facilityId: 'site-1',
        occurredAt: new Date().toISOString(),
      },
    );
    await feedCaughtUp(store);

    const pages: EventPage[] = [];
    for (let after: string | null = null; ;) {
      const next = await page(after, 1000);
      if (next.items.length === 0) break;
      const beforeLast = next.items.slice(0, -1).reduce((sum, item) => sum + dataBytes(item), 0);
      expect(beforeLast).toBeLessThan(PAGE_MAX_BYTES);
      expect(next.nextAfter).toBe(next.items.at(-1)?.position);
      pages.push(next);
      after = next.nextAfter;
    }
    expect(pages[0].items.length).toBeLessThan(sizes.length);
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.flatMap((each) => each.items.map((item) => item.eventId))).toEqual(
      appended.flatMap((result) => result.events.map((event) => event.eventId)),
    );
  });
});
