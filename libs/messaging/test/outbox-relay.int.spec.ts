import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DataSource } from 'typeorm';
import { EventEnvelope, FleetHeaders } from '@fleet/contracts';
import { createEventStore, openDatabase, type EventStore, type RecordedEvent } from '@fleet/event-sourcing';
import {
  createTestDatabase,
  feedCaughtUp,
  openBlockingTransaction,
  TEST_DRIVERS,
  type TestDatabase,
} from '@fleet/event-sourcing/testing';
import { JetStreamEventConsumer } from '../src/consumer/jetstream-event-consumer';
import { envelopeOf } from '../src/envelope/envelope-codec';
import { messagingMigrations } from '../src/migrations/messaging.migrations';
import { deleteMessagingNamespace } from '../src/naming/delete-namespace';
import { MessagingNames } from '../src/naming/messaging-names';
import { OutboxRelay, type OutboxRelayOptions } from '../src/outbox/outbox-relay';
import { UnpublishableEventError } from '../src/outbox/unpublishable-event.error';
import { ensureContextStream, ensureDeadLetterStream } from '../src/setup/context-stream';
import {
  appendThings,
  connectForTest,
  effectCounts,
  eventually,
  insertEffectSql,
  RecordingLogger,
  RecordingMetrics,
  streamMessageCount,
  streamMessages,
  TEST_EVENT_TYPES,
  TestEffects1793000000100,
} from './support/messaging-test-kit';

const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe.each(TEST_DRIVERS)('OutboxRelay on %s (real NATS)', (driver) => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let database: TestDatabase;
  let store: EventStore;
  let names: MessagingNames;
  let stream: string;
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    nc = await connectForTest(`relay-${driver}`);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await nc.close();
  });

  beforeEach(async () => {
    database = await createTestDatabase(driver, {
      migrations: [...messagingMigrations, TestEffects1793000000100],
    });
    store = createEventStore(database.dataSource, { schemaVersions: TEST_EVENT_TYPES });
    names = MessagingNames.isolated();
    stream = names.streamOf('procurement');
    await ensureContextStream(jsm, { context: 'procurement', names });
    await ensureDeadLetterStream(jsm, { names });
  });

  afterEach(async () => {
    for (const service of running.splice(0).reverse()) await service.stop();
    await deleteMessagingNamespace(jsm, names);
    await database.dispose();
  });

  function relay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const created = new OutboxRelay({
      store,
      connection: nc,
      context: 'procurement',
      names,
      restartMarginMs: 0,
      pollIntervalMs: 100,
      logger: SILENT,
      ...options,
    });
    running.push(created);
    return created;
  }

  async function commitOrder(): Promise<RecordedEvent[]> {
    return [...(await store.readAll({ limit: 100_000 }))];
  }

  async function expectStreamInCommitOrder(): Promise<void> {
    const published = (await streamMessages(nc, stream)).map(
      (message) => message.json<EventEnvelope>().eventId,
    );
    expect(published).toEqual((await commitOrder()).map((event) => event.eventId));
  }

  it('publishes every committed event in commit order, as an envelope with the event id as Nats-Msg-Id', async () => {
    await appendThings(store, 150, { facilityId: 'us-tx-01' });
    await appendThings(store, 150, { facilityId: 'de-by-02', from: 150 });
    const metrics = new RecordingMetrics();
    const subject = relay({ batchSize: 64, maxInFlight: 16, metrics });
    subject.start();
    await subject.caughtUp();

    const events = await commitOrder();
    const messages = await streamMessages(nc, stream);
    expect(messages).toHaveLength(300);
    messages.forEach((message, index) => {
      const event = events[index];
      expect(message.subject).toBe(
        names.subjectOf('procurement', event.metadata.facilityId, 'ThingHappened'),
      );
      expect(message.headers?.get('Nats-Msg-Id')).toBe(event.eventId);
      expect(message.headers?.get(FleetHeaders.eventType)).toBe('ThingHappened');
      expect(message.headers?.get(FleetHeaders.correlationId)).toBe(event.metadata.correlationId);
      expect(EventEnvelope.parse(message.json())).toEqual(envelopeOf(event));
    });
    expect(subject.checkpoint).toBe(events[events.length - 1].position);
    expect(metrics.published).toBe(300);
    expect(metrics.relayLags.at(-1)).toBe(0);
    expect(subject.state).toBe('active');
  });

  it('bounds a batch by bytes and still publishes everything in commit order', async () => {
    // About 1 KiB of data each: a 2.5 KiB budget takes three events a batch.
    await appendThings(store, 40, { data: (n) => ({ n, note: 'x'.repeat(1024) }) });
    // Else a transaction open elsewhere on the cluster may hold them back at first, and the relay's
    // first lag report would count them before any batch.
    await feedCaughtUp(store);
    const metrics = new RecordingMetrics();
    const subject = relay({ batchSize: 500, batchMaxBytes: 2500, metrics });
    subject.start();
    await subject.caughtUp();

    expect(Math.max(...metrics.publishedBatches)).toBe(3);
    expect(metrics.published).toBe(40);
    // A batch the budget ended is not the end of the feed: the lag after it counts the rest.
    expect(metrics.publishedBatches[0] + metrics.relayLags[0]).toBe(40);
    await expectStreamInCommitOrder();
    expect(metrics.relayLags.at(-1)).toBe(0);
  });

  it('publishes everything with a byte budget smaller than any event, one event a batch', async () => {
    await appendThings(store, 12);
    const metrics = new RecordingMetrics();
    const subject = relay({ batchMaxBytes: 1, metrics });
    subject.start();
    await subject.caughtUp();
    expect(metrics.publishedBatches).toEqual(Array.from({ length: 12 }, () => 1));
    await expectStreamInCommitOrder();
  });

  it('wakes on notify() instead of waiting for its poll', async () => {
    const subject = relay({ pollIntervalMs: 60_000 });
    subject.start();
    await subject.caughtUp();
    await appendThings(store, 5);
    const started = Date.now();
    subject.notify();
    await eventually(async () => (await streamMessageCount(jsm, stream)) === 5, '5 messages', 5000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('loses nothing and doubles nothing downstream after publishing without checkpointing (a crash between the two)', async () => {
    // A duplicate window shorter than the restart, so the re-published events really reach the
    // stream again and only the consumer's inbox stands between them and a second effect.
    await jsm.streams.update(stream, { duplicate_window: 500_000_000 });
    await appendThings(store, 40);
    const first = relay();
    first.start();
    await first.caughtUp();
    await first.stop();
    await store.transaction(async (session) => {
      await session.manager.query(
        `UPDATE outbox_checkpoints SET position = 0, mark_position = 0, prior_mark_position = 0`,
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    await appendThings(store, 10, { from: 40 });

    const second = relay();
    second.start();
    await second.caughtUp();
    expect(await streamMessageCount(jsm, stream)).toBe(90);

    const metrics = new RecordingMetrics();
    const consumer = new JetStreamEventConsumer({
      connection: nc,
      store,
      names,
      name: 'test-ThingHappened',
      filterSubject: 'fleet.procurement.*.ThingHappened',
      metrics,
      logger: SILENT,
      fetchExpiresMs: 1000,
      handler: async (envelope, context) => {
        await context.session.manager.query(insertEffectSql(store.dialect), [
          context.consumer,
          envelope.eventId,
          null,
        ]);
      },
    });
    running.push(consumer);
    await consumer.start();
    await eventually(
      () => (metrics.outcomes['handled'] ?? 0) + (metrics.outcomes['duplicate'] ?? 0) === 90,
      '90 messages',
    );
    const effects = await effectCounts(store);
    expect(effects).toMatchObject({ total: 50, distinct: 50 });
    expect(metrics.outcomes).toEqual({ handled: 50, duplicate: 40 });
  });

  it('answers a re-published safety margin with duplicates after a restart', async () => {
    await appendThings(store, 30);
    const first = relay({ restartMarginMs: 60_000 });
    first.start();
    await first.caughtUp();
    await first.stop();

    const metrics = new RecordingMetrics();
    const second = relay({ restartMarginMs: 60_000, metrics });
    second.start();
    await second.caughtUp();
    // Acknowledged less than a margin before the restart: all 30 went out again, all duplicates.
    expect(metrics.published).toBe(30);
    expect(await streamMessageCount(jsm, stream)).toBe(30);
    await expectStreamInCommitOrder();
    const events = await commitOrder();
    expect(second.checkpoint).toBe(events[events.length - 1].position);
  });

  it('still re-publishes the events acknowledged just before NATS lost them after idle lease renewals', async () => {
    // The scenario: events acknowledged, then NATS crashes and loses them, and the relay keeps
    // renewing its lease (without acknowledging anything new) for longer than its margin before
    // NATS comes back empty. Renewals must not move the safety marks past those events.
    const restartMarginMs = 800;
    await appendThings(store, 50);
    const first = relay({ restartMarginMs, leaseTtlMs: 300 });
    first.start();
    await first.caughtUp();
    // About a dozen renewals (one per leaseTtlMs / 3), spanning three margins.
    await new Promise((resolve) => setTimeout(resolve, 3 * restartMarginMs));
    await first.stop();
    // NATS comes back without the 50 messages (and without their de-duplication entries).
    await jsm.streams.delete(stream);
    await ensureContextStream(jsm, { context: 'procurement', names });

    const metrics = new RecordingMetrics();
    const second = relay({ restartMarginMs, metrics });
    second.start();
    await second.caughtUp();
    expect(metrics.published).toBe(50);
    await expectStreamInCommitOrder();
  });

  it('resumes after a relay is killed mid-stream, once its lease expires, in order and without gaps', async () => {
    // Enough that the kill below lands mid-stream however fast the relay publishes.
    const total = 4000;
    await appendThings(store, total);
    // The doomed instance gets its own NATS connection and database connection, as a process would.
    const doomedConnection = await connectForTest(`relay-doomed-${driver}`);
    const doomedDatabase: DataSource = await openDatabase(
      database.url ? { url: database.url } : { sqliteFile: database.sqliteFile },
    );
    const doomed = relay({
      store: createEventStore(doomedDatabase, { schemaVersions: TEST_EVENT_TYPES }),
      connection: doomedConnection,
      batchSize: 20,
      maxInFlight: 8,
      leaseTtlMs: 1500,
    });
    doomed.start();
    await eventually(
      async () => (await streamMessageCount(jsm, stream)) >= 60,
      '60 messages before the kill',
    );
    await Promise.all([doomedConnection.close(), doomedDatabase.destroy()]);
    const publishedBeforeKill = await streamMessageCount(jsm, stream);
    expect(publishedBeforeKill).toBeLessThan(total);

    const survivor = relay({ leaseTtlMs: 1500 });
    survivor.start();
    await eventually(() => survivor.state === 'active', 'the survivor to take the expired lease');
    await survivor.caughtUp();
    await expectStreamInCommitOrder();
  });

  it('keeps one active instance among two, and the stream in commit order through a hand-over', async () => {
    const metricsA = new RecordingMetrics();
    const metricsB = new RecordingMetrics();
    const a = relay({ instanceId: 'relay-a', metrics: metricsA, leaseTtlMs: 3000 });
    const b = relay({ instanceId: 'relay-b', metrics: metricsB, leaseTtlMs: 3000 });
    a.start();
    await eventually(() => a.state === 'active', 'relay a active');
    b.start();
    await eventually(() => b.state === 'standby', 'relay b standing by');

    const writer = (async () => {
      for (let round = 0; round < 20; round++) {
        await appendThings(store, 10, { from: round * 10 });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await eventually(async () => (await streamMessageCount(jsm, stream)) >= 50, 'some messages from a');
    expect([a.state, b.state]).toEqual(['active', 'standby']);
    expect(metricsB.published).toBe(0);

    await a.stop();
    await eventually(() => b.state === 'active', 'relay b taking over');
    await writer;
    // The writer may have finished before a stopped (a flushed everything): b publishes these.
    await appendThings(store, 10, { from: 200 });
    await b.caughtUp();
    expect(metricsA.published).toBeGreaterThan(0);
    expect(metricsB.published).toBeGreaterThan(0);
    await expectStreamInCommitOrder();
  });

  it("flushes on the lease holder only: a standby's flush answers at once, and the holder's publishes everything", async () => {
    // Polls (and so renews its lease) rarely: the lease must outlast the test's idle stretch.
    const holder = relay({ instanceId: 'relay-holder', pollIntervalMs: 60_000, leaseTtlMs: 180_000 });
    const standby = relay({ instanceId: 'relay-standby' });
    holder.start();
    await eventually(() => holder.state === 'active', 'the holder active');
    standby.start();
    await eventually(() => standby.state === 'standby', 'the other standing by');
    // Not notified: only the holder's flush makes them go out before its next (distant) poll.
    await appendThings(store, 25);

    const flushBudgetMs = 15_000;
    const started = Date.now();
    await expect(standby.flush(flushBudgetMs)).resolves.toBe('standby');
    await standby.stop();
    // Generous: without the standby's answer it waits the whole budget.
    expect(Date.now() - started).toBeLessThan(flushBudgetMs / 3);
    expect(standby.state).toBe('stopped');

    await expect(holder.flush(flushBudgetMs)).resolves.toBe('published');
    expect(await streamMessageCount(jsm, stream)).toBe(25);
    await holder.stop();
    await expect(holder.flush(flushBudgetMs)).resolves.toBe('stopped');
  });

  it('refuses, and stops at, an event larger than the server max payload', async () => {
    const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
    await appendThings(store, 3);
    const [huge] = await appendThings(store, 1, { from: 3, data: () => ({ blob: 'x'.repeat(maxPayload) }) });
    await appendThings(store, 2, { from: 4 });
    const logger = new RecordingLogger();
    const subject = relay({ logger });
    subject.start();
    await eventually(() => subject.state === 'blocked', 'the relay to block');

    const error = subject.lastError;
    expect(error).toBeInstanceOf(UnpublishableEventError);
    expect((error as UnpublishableEventError).eventId).toBe(huge.eventId);
    expect(error?.message).toMatch(/over the NATS server's max_payload of \d+ bytes/);
    expect(logger.text('error')).toContain(huge.eventId);
    expect(await streamMessageCount(jsm, stream)).toBe(3);
    const events = await commitOrder();
    expect(subject.checkpoint).toBe(events[2].position);
    await expect(subject.caughtUp(500)).rejects.toThrow(/blocked: .*max_payload/);
  });

  if (driver === 'postgres')
    it('counts the events an open transaction elsewhere holds back as lag, and publishes them once it ends', async () => {
      await appendThings(store, 30);
      await feedCaughtUp(store);
      const blocker = await openBlockingTransaction(database.url as string);
      try {
        await appendThings(store, 5, { from: 30 });
        const metrics = new RecordingMetrics();
        const subject = relay({ batchSize: 10, metrics });
        subject.start();
        // 35 committed; after its first batch the relay is that batch short of the real head.
        await eventually(() => metrics.relayLags.length > 0, 'the first lag report');
        expect(metrics.publishedBatches[0] + metrics.relayLags[0]).toBe(35);
        await eventually(
          () => metrics.published === 30 && metrics.relayLags.at(-1) === 5,
          'the held-back lag',
        );
        expect(await streamMessageCount(jsm, stream)).toBe(30);

        await blocker.end();
        await subject.caughtUp();
        expect(metrics.relayLags.at(-1)).toBe(0);
        expect(await streamMessageCount(jsm, stream)).toBe(35);
        await expectStreamInCommitOrder();
      } finally {
        await blocker.end();
      }
    });
});
