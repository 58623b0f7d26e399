import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ensureDeadLetterStream } from '@fleet/messaging';
import { MessagingLifecycle } from '../src';
import { metricValue, NATS_URL, startWidgetsApp, waitFor, type WidgetsApp } from './widgets-app';

const CONSUMER = 'widgets-WidgetCreated';

describe('a consumer that cannot dead-letter', () => {
  let widgets: WidgetsApp;
  let nats: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    widgets = await startWidgetsApp('sqlite');
    nats = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nats);
  });

  afterAll(async () => {
    await nats?.close();
    await widgets?.close();
  });

  const stalledMetric = async () =>
    metricValue(await widgets.scrape(), 'fleet_consumer_stalled', { consumer: CONSUMER });

  it('makes the service unready, naming the consumer, with fleet_consumer_stalled at 1, until it can again', async () => {
    await waitFor(
      () => (widgets.app.get(MessagingLifecycle).consumers.length === 1 ? true : undefined),
      'the consumer to run',
    );
    const ready = await widgets.ready();
    expect(ready.statusCode).toBe(200);
    expect(ready.body.info?.['consumers']).toEqual({ status: 'up', running: 1 });
    expect(await stalledMetric()).toBe(0);

    // Dead letters have nowhere to go; then a message the handler refuses at once (a zod error).
    await jsm.streams.delete(widgets.names.deadLetterStream);
    await widgets.createWidget('poison');

    const unready = await widgets.readyWith(503, 'readiness to fail');
    expect(unready.status).toBe('error');
    expect(unready.error?.['consumers']).toEqual({
      status: 'down',
      stalled: { [CONSUMER]: expect.stringMatching(/^cannot dead-letter .*WidgetCreated #1 /) },
    });
    expect(await stalledMetric()).toBe(1);

    await ensureDeadLetterStream(jsm, { names: widgets.names });
    await widgets.readyWith(200, 'readiness again');
    expect(await stalledMetric()).toBe(0);
    expect((await jsm.streams.info(widgets.names.deadLetterStream)).state.messages).toBe(1);
  });
});
