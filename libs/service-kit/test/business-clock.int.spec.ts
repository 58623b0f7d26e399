import type { EventPage } from '@fleet/contracts';
import { ADMIN_KEY, startWidgetsApp, type WidgetsApp } from './widgets-app';

const REPORTS_KEY = 'reports-key-0123456789abcdef';
const KEYS = `admin:${ADMIN_KEY},reports:${REPORTS_KEY}`;

function setClock(widgets: WidgetsApp, body: unknown, key = ADMIN_KEY) {
  return widgets.app.inject({
    method: 'PUT',
    url: '/admin/clock',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

describe('a controlled business clock (FLEET_CLOCK=controlled)', () => {
  let widgets: WidgetsApp;

  beforeAll(async () => {
    widgets = await startWidgetsApp('sqlite', {
      FLEET_API_KEYS: KEYS,
      FLEET_CLOCK: 'controlled',
      FLEET_CLOCK_START: '2026-10-01T00:00:00Z',
    });
  });
  afterAll(() => widgets?.close());

  it('stamps events with business time, which PUT /admin/clock moves forward', async () => {
    await widgets.createWidget('first');
    const moved = await setClock(widgets, { now: '2026-10-02T00:00:00Z' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toEqual({ now: '2026-10-02T00:00:00.000Z', mode: 'controlled' });
    await widgets.createWidget('second');

    const feed = await widgets.app.inject({
      method: 'GET',
      url: '/events',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const stamps = feed.json<EventPage>().items.map((event) => event.occurredAt);
    expect(stamps).toHaveLength(2);
    expect(stamps[0] >= '2026-10-01T00:00:00' && stamps[0] < '2026-10-01T01:00:00').toBe(true);
    expect(stamps[1] >= '2026-10-02T00:00:00' && stamps[1] < '2026-10-02T01:00:00').toBe(true);
  });

  it('refuses to go backwards: 409 problem naming the clock’s now', async () => {
    const back = await setClock(widgets, { now: '2026-10-01T12:00:00Z' });
    expect(back.statusCode).toBe(409);
    expect(back.headers['content-type']).toContain('application/problem+json');
    expect(back.json()).toMatchObject({
      code: 'clock-would-go-back',
      details: { requested: '2026-10-01T12:00:00.000Z' },
    });
  });

  it('refuses what is not an instant with an offset, and any role but admin', async () => {
    for (const body of [
      { now: '2026-10-03' },
      { now: '2026-10-03T00:00:00' },
      { now: 5 },
      {},
      { now: '2026-10-03T00:00:00Z', extra: 1 },
    ]) {
      const refused = await setClock(widgets, body);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'validation-failed' });
    }
    expect((await setClock(widgets, { now: '2026-10-03T00:00:00Z' }, REPORTS_KEY)).statusCode).toBe(403);
    expect(
      (await setClock(widgets, { now: '2026-10-03T00:00:00Z' }, 'not-a-key-0123456789')).statusCode,
    ).toBe(401);
  });
});

describe('the system clock (the default)', () => {
  let widgets: WidgetsApp;

  beforeAll(async () => {
    widgets = await startWidgetsApp('sqlite', { FLEET_API_KEYS: KEYS });
  });
  afterAll(() => widgets?.close());

  it('has no PUT /admin/clock', async () => {
    const response = await setClock(widgets, { now: '2027-01-01T00:00:00Z' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});
