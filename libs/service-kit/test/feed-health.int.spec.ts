import { openBlockingTransaction, type BlockingTransaction } from '@fleet/event-sourcing/testing';
import { DataSource } from 'typeorm';
import { MessagingLifecycle } from '../src';
import { metricValue, startWidgetsApp, waitFor, type WidgetsApp } from './widgets-app';

// Other test processes share the PostgreSQL cluster and may hold every feed back for a moment
// themselves: the waits below settle, and nothing assumes that the blocker found is ours.
describe('a feed held back by an open transaction (PostgreSQL)', () => {
  let widgets: WidgetsApp;
  let blocker: BlockingTransaction | undefined;

  beforeAll(async () => {
    widgets = await startWidgetsApp('postgres', {
      FEED_HELD_BACK_LIMIT_MS: '1000',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '5000',
    });
  });

  afterEach(async () => {
    await blocker?.end();
    blocker = undefined;
  });

  afterAll(async () => {
    await widgets?.close();
  });

  const relayLag = (text: string) => metricValue(text, 'fleet_relay_lag_events');
  const relay = () => {
    const started = widgets.app.get(MessagingLifecycle).relay;
    if (!started) throw new Error('the widgets service runs a relay');
    return started;
  };

  it('shows as relay lag and held-back metrics, fails readiness past the limit, and recovers when it ends', async () => {
    await widgets.createWidget();
    await relay().caughtUp();
    blocker = await openBlockingTransaction(widgets.database?.url as string, {
      applicationName: 'forgotten',
    });
    await widgets.createWidget();
    await widgets.createWidget();

    const held = await waitFor(async () => {
      const text = await widgets.scrape();
      const events = metricValue(text, 'fleet_feed_held_back_events') ?? 0;
      return events >= 2 && (relayLag(text) ?? 0) >= 2 ? text : undefined;
    }, 'the held-back events to show');
    expect(metricValue(held, 'fleet_feed_held_back_seconds')).toBeGreaterThan(0);

    const unready = await widgets.readyWith(503, 'readiness to fail past the limit');
    const reason = String(unready.error?.['feed']?.['message']);
    const [, seconds] = /^\d+ committed events held back for (\d+) s by (?:prepared )?transaction \d+/.exec(
      reason,
    ) ?? [reason];
    expect(Number(seconds)).toBeGreaterThanOrEqual(1);
    expect(unready.info?.['database']?.['status']).toBe('up');

    await blocker.end();
    await widgets.readyWith(200, 'readiness again');
    await relay().caughtUp();
    const after = await widgets.scrape();
    expect(metricValue(after, 'fleet_feed_held_back_events')).toBe(0);
    expect(metricValue(after, 'fleet_feed_held_back_seconds')).toBe(0);
    expect(relayLag(after)).toBe(0);
  });

  it("ends a session of the service's own left idle in a transaction, and the feed moves on", async () => {
    const dataSource = widgets.app.get(DataSource);
    const session = dataSource.createQueryRunner();
    try {
      await session.startTransaction();
      // A write: the session now has a transaction id and holds every feed of the cluster back.
      await session.query(`INSERT INTO widgets (id, name) VALUES ('forgotten', 'forgotten')`);
      const [{ pid }] = (await session.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
      await widgets.createWidget();

      await waitFor(async () => {
        const rows = await dataSource.query<unknown[]>('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [
          pid,
        ]);
        return rows.length === 0 ? true : undefined;
      }, 'the server to end the idle session');
      await expect(session.query('SELECT 1')).rejects.toThrow();
    } finally {
      await session.release();
    }
    await relay().caughtUp();
    expect(await dataSource.query('SELECT id FROM widgets WHERE id = $1', ['forgotten'])).toEqual([]);
    expect((await widgets.ready()).statusCode).toBe(200);
  });
});
