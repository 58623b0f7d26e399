import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventStore, RecordedEvent } from '@fleet/event-sourcing';
import type { TestDatabase } from '@fleet/event-sourcing/testing';
import { DeadLetterHeaders } from '../src/consumer/dead-letter';
import { JetStreamEventConsumer, type EventHandler } from '../src/consumer/jetstream-event-consumer';
import { PoisonMessageError } from '../src/consumer/poison-message.error';
import { DeadLetterStream } from '../src/dead-letters/dead-letter-stream';
import { deleteMessagingNamespace } from '../src/naming/delete-namespace';
import { MessagingNames } from '../src/naming/messaging-names';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import {
  DEFAULT_DUPLICATE_WINDOW_MS,
  ensureContextStream,
  ensureDeadLetterStream,
} from '../src/setup/context-stream';
import {
  appendThings,
  connectForTest,
  effectCounts,
  eventually,
  insertEffectSql,
  messagingTestStore,
  metadata,
  RecordingMetrics,
  streamMessageCount,
  TestEffects1793000000100,
} from './support/messaging-test-kit';

const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };
/** Short, so that a replay in the test is not within it; the default (5 min) is tested on its own. */
const DUPLICATE_WINDOW_MS = 1000;
const DAY_MS = 24 * 3600_000;

// The dead letters live in NATS only, so one database driver does.
/** What one test works in: its own database, streams and dead-letter view. */
interface Scene {
  readonly database: TestDatabase;
  readonly store: EventStore;
  readonly names: MessagingNames;
  readonly deadLetters: DeadLetterStream;
}

describe('dead letters: list and replay (real NATS)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let scene: Scene;
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    nc = await connectForTest('dead-letters');
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await nc.close();
  });

  beforeEach(async () => {
    const names = MessagingNames.isolated();
    await ensureContextStream(jsm, { context: 'procurement', names, duplicateWindowMs: DUPLICATE_WINDOW_MS });
    await ensureDeadLetterStream(jsm, { names });
    const { database, store } = await messagingTestStore('sqlite', [TestEffects1793000000100]);
    scene = { database, store, names, deadLetters: new DeadLetterStream(nc, names) };
  });

  afterEach(async () => {
    for (const service of running.splice(0).reverse()) await service.stop();
    await deleteMessagingNamespace(jsm, scene.names);
    await scene.database.dispose();
  });

  /** The service's relay: `Nats-Msg-Id` = event id, as in production. */
  function relay(): OutboxRelay {
    const started = new OutboxRelay({
      store: scene.store,
      connection: nc,
      context: 'procurement',
      names: scene.names,
      restartMarginMs: 0,
      pollIntervalMs: 100,
      logger: SILENT,
    });
    running.push(started);
    started.start();
    return started;
  }

  /** Publishes what is committed through a relay of its own. */
  async function publishCommitted(): Promise<void> {
    const once = relay();
    await once.caughtUp();
    await once.stop();
  }

  /** A consumer recording one effect row per handled event; `refuse` makes an event poison. */
  async function consumer(
    name: string,
    metrics: RecordingMetrics,
    refuse: (eventId: string) => boolean = () => false,
  ): Promise<void> {
    const handler: EventHandler = async (envelope, context) => {
      if (refuse(envelope.eventId)) throw new PoisonMessageError(`no rig model for ${envelope.eventId}`);
      await context.session.manager.query(insertEffectSql(scene.store.dialect), [
        context.consumer,
        envelope.eventId,
        null,
      ]);
    };
    const created = new JetStreamEventConsumer({
      connection: nc,
      store: scene.store,
      names: scene.names,
      name,
      filterSubject: 'fleet.procurement.*.ThingHappened',
      handler,
      metrics,
      logger: SILENT,
      fetchExpiresMs: 1000,
    });
    running.push(created);
    await created.start();
  }

  /** Waits until the events are older than the stream's duplicate window. */
  const pastDuplicateWindow = () => new Promise((resolve) => setTimeout(resolve, DUPLICATE_WINDOW_MS + 200));

  async function oneDeadLetter(): Promise<void> {
    await eventually(
      async () => (await streamMessageCount(jsm, scene.names.deadLetterStream)) === 1,
      'a dead letter',
    );
  }

  it('lists dead letters by consumer and original subject, and replays one so that it is handled once', async () => {
    const events = await appendThings(scene.store, 3);
    const poisoned = events[1].eventId;
    await publishCommitted();
    let fixed = false;
    const inventory = new RecordingMetrics();
    const reports = new RecordingMetrics();
    await consumer('inventory-ThingHappened', inventory, (eventId) => !fixed && eventId === poisoned);
    await consumer('reports-ThingHappened', reports);
    await oneDeadLetter();
    await eventually(
      () => reports.outcomes['handled'] === 3 && inventory.outcomes['handled'] === 2,
      'the rest handled',
    );

    const [letter, ...others] = await scene.deadLetters.list();
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      consumer: 'inventory-ThingHappened',
      reason: 'poison',
      originalSubject: scene.names.subjectOf('procurement', 'us-tx-01', 'ThingHappened'),
      originalStream: scene.names.streamOf('procurement'),
      originalMsgId: poisoned,
      deliveryCount: 1,
    });
    expect(letter.error).toContain(`no rig model for ${poisoned}`);
    expect(letter.originalHeaders.get('Fleet-Event-Type')).toBe('ThingHappened');
    expect(letter.originalHeaders.has(DeadLetterHeaders.reason)).toBe(false);
    expect(await scene.deadLetters.list({ consumer: 'reports-ThingHappened' })).toEqual([]);
    expect(await scene.deadLetters.list({ consumer: 'inventory-ThingHappened' })).toHaveLength(1);
    expect(await scene.deadLetters.list({ subject: 'fleet.procurement.*.ThingHappened' })).toHaveLength(1);
    expect(await scene.deadLetters.list({ subject: 'fleet.procurement.de-by-02.>' })).toEqual([]);
    expect(
      (await scene.deadLetters.list({ sequence: letter.sequence })).map((found) => found.sequence),
    ).toEqual([letter.sequence]);
    expect(await scene.deadLetters.list({ sequence: letter.sequence + 100 })).toEqual([]);

    fixed = true;
    await pastDuplicateWindow();
    await expect(scene.deadLetters.replay(letter, { inboxRetentionMs: DAY_MS })).resolves.toMatchObject({
      outcome: 'replayed',
      stream: scene.names.streamOf('procurement'),
    });

    // The consumer that gave up handles it now; the one that had handled it finds its inbox row.
    await eventually(() => inventory.outcomes['handled'] === 3, 'the replay handled');
    await eventually(() => reports.outcomes['duplicate'] === 1, 'the replay skipped where it was handled');
    const effects = await effectCounts(scene.store);
    expect(effects).toMatchObject({ total: 6, distinct: 3 });
    expect(effects.byEvent.get(poisoned)).toBe(2);
    expect(await scene.deadLetters.list()).toEqual([]);
  });

  it('leaves the relay publishing after a replay: its next publish finds a message it did not write, and retries', async () => {
    const [first] = await appendThings(scene.store, 2);
    const outbox = relay();
    await outbox.caughtUp();
    let fixed = false;
    await consumer(
      'inventory-ThingHappened',
      new RecordingMetrics(),
      (eventId) => !fixed && eventId === first.eventId,
    );
    await oneDeadLetter();
    const [letter] = await scene.deadLetters.list();
    fixed = true;
    await pastDuplicateWindow();
    await expect(scene.deadLetters.replay(letter, { inboxRetentionMs: DAY_MS })).resolves.toMatchObject({
      outcome: 'replayed',
    });

    // The stream's last message is now the replay, not the relay's last event.
    const later = await appendThings(scene.store, 2, { from: 2 });
    await outbox.caughtUp();
    const stream = scene.names.streamOf('procurement');
    expect(await streamMessageCount(jsm, stream)).toBe(5);
    const last = await jsm.streams.getMessage(stream, { seq: 5 });
    expect(last?.header?.get('Nats-Msg-Id')).toBe(later[1].eventId);
    expect(outbox.state).toBe('active');
  });

  it('keeps a dead letter while the stream would drop its replay as a duplicate', async () => {
    await ensureContextStream(jsm, {
      context: 'procurement',
      names: scene.names,
      duplicateWindowMs: DEFAULT_DUPLICATE_WINDOW_MS,
    });
    const [event] = await appendThings(scene.store, 1);
    await publishCommitted();
    await consumer('inventory-ThingHappened', new RecordingMetrics(), () => true);
    await oneDeadLetter();
    const [letter] = await scene.deadLetters.list();

    const outcome = await scene.deadLetters.replay(letter, { inboxRetentionMs: DAY_MS });
    expect(outcome).toEqual({
      outcome: 'kept',
      why: expect.stringContaining(`still remembers message id ${event.eventId}`),
    });
    expect(await scene.deadLetters.list()).toHaveLength(1);
  });

  it('keeps a dead letter whose event is older than the inbox retention, unless forced', async () => {
    const occurredAt = new Date(Date.now() - 2 * DAY_MS).toISOString();
    const [old]: readonly RecordedEvent[] = (
      await scene.store.appendToStreams(
        [
          {
            streamId: 'thing-old',
            streamType: 'thing',
            expectedVersion: 'no_stream',
            events: [{ type: 'ThingHappened', data: { n: 0 } }],
          },
        ],
        metadata('us-tx-01', { occurredAt }),
      )
    )[0].events;
    await publishCommitted();
    let fixed = false;
    const metrics = new RecordingMetrics();
    await consumer('inventory-ThingHappened', metrics, () => !fixed);
    await oneDeadLetter();
    const [letter] = await scene.deadLetters.list();
    await pastDuplicateWindow();

    await expect(scene.deadLetters.replay(letter, { inboxRetentionMs: DAY_MS })).resolves.toEqual({
      outcome: 'kept',
      why: expect.stringContaining('longer than the inbox retention'),
    });
    expect(await scene.deadLetters.list()).toHaveLength(1);

    fixed = true;
    await expect(
      scene.deadLetters.replay(letter, { inboxRetentionMs: DAY_MS, force: true }),
    ).resolves.toMatchObject({
      outcome: 'replayed',
    });
    await eventually(() => metrics.outcomes['handled'] === 1, 'the forced replay handled');
    expect((await effectCounts(scene.store)).byEvent.get(old.eventId)).toBe(1);
    expect(await scene.deadLetters.list()).toEqual([]);
  });
});
