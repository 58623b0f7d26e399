import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createEventStore, type EventStore } from '@fleet/event-sourcing';
import { createTestDatabase, type TestDatabase } from '@fleet/event-sourcing/testing';
import { JetStreamEventConsumer } from '../src/consumer/jetstream-event-consumer';
import { messagingMigrations } from '../src/migrations/messaging.migrations';
import { MessagingNames } from '../src/naming/messaging-names';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { ensureContextStream, ensureDeadLetterStream } from '../src/setup/context-stream';
import {
  appendThings,
  connectForTest,
  effectCounts,
  eventually,
  insertEffectSql,
  RecordingLogger,
  TEST_EVENT_TYPES,
  TestEffects1793000000100,
} from './support/messaging-test-kit';
import { PrivateNatsServer } from '../src/testing';

/** Runs against a nats-server of its own: the shared one on 4222 is never restarted. */
describe('a NATS restart (private nats-server, SQLite)', () => {
  let server: PrivateNatsServer;
  let nc: NatsConnection;
  let database: TestDatabase;
  let store: EventStore;
  let relay: OutboxRelay | undefined;
  let consumer: JetStreamEventConsumer | undefined;

  beforeAll(async () => {
    server = await PrivateNatsServer.start();
    nc = await connectForTest('restart', server.url);
    database = await createTestDatabase('sqlite', {
      migrations: [...messagingMigrations, TestEffects1793000000100],
    });
    store = createEventStore(database.dataSource, { schemaVersions: TEST_EVENT_TYPES });
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await nc?.close();
    await server?.dispose();
    await database?.dispose();
  });

  it('is ridden out by the relay and the consumer: every event handled exactly once', async () => {
    const names = MessagingNames.production;
    const jsm = await jetstreamManager(nc);
    await ensureContextStream(jsm, { context: 'procurement', names });
    await ensureDeadLetterStream(jsm, { names });
    const relayLog = new RecordingLogger();
    relay = new OutboxRelay({
      store,
      connection: nc,
      context: 'procurement',
      names,
      pollIntervalMs: 100,
      publishTimeoutMs: 1000,
      restartMarginMs: 60_000,
      logger: relayLog,
    });
    consumer = new JetStreamEventConsumer({
      connection: nc,
      store,
      names,
      name: 'restart-ThingHappened',
      filterSubject: 'fleet.procurement.*.ThingHappened',
      fetchExpiresMs: 1000,
      ackWaitMs: 2000,
      logger: new RecordingLogger(),
      handler: async (envelope, context) => {
        await context.session.manager.query(insertEffectSql(store.dialect), [
          context.consumer,
          envelope.eventId,
          null,
        ]);
      },
    });
    relay.start();
    await consumer.start();

    await appendThings(store, 100);
    relay.notify();
    await eventually(async () => (await effectCounts(store)).distinct >= 20, 'the first effects');

    await server.kill();
    // Written while NATS is down: they wait in the outbox.
    await appendThings(store, 50, { from: 100 });
    relay.notify();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await server.restart();
    await appendThings(store, 50, { from: 150 });
    relay.notify();

    await eventually(
      async () => (await effectCounts(store)).distinct === 200,
      'all 200 events handled',
      40_000,
    );
    expect(await effectCounts(store)).toMatchObject({ total: 200, distinct: 200 });
    await relay.caughtUp();
    // The restarted server is a different server: the relay went back by its safety margin.
    expect(relayLog.text('warn')).toContain('reconnected to a different NATS server');
  }, 60_000);
});
