import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import type { EventEnvelope } from '@fleet/contracts';
import { createEventStore, type EventStore, type RecordedEvent } from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import { DeadLetterHeaders } from '../src/consumer/dead-letter';
import {
  JetStreamEventConsumer,
  type EventBatchHandler,
  type JetStreamEventConsumerOptions,
} from '../src/consumer/jetstream-event-consumer';
import { claimInboxEntries } from '../src/inbox/inbox';
import { PoisonMessageError } from '../src/consumer/poison-message.error';
import { DeadLetterStream } from '../src/dead-letters/dead-letter-stream';
import { SPARE_DELIVERIES } from '../src/consumer/redelivery';
import { encodeEnvelope, envelopeHeaders, envelopeOf } from '../src/envelope/envelope-codec';
import { messagingMigrations } from '../src/migrations/messaging.migrations';
import { deleteMessagingNamespace } from '../src/naming/delete-namespace';
import { MessagingNames } from '../src/naming/messaging-names';
import { ensureContextStream, ensureDeadLetterStream } from '../src/setup/context-stream';
import {
  connectForTest,
  effectCounts,
  eventually,
  insertEffectSql,
  publishRaw,
  RecordingMetrics,
  streamMessageCount,
  streamMessages,
  TEST_EVENT_TYPES,
  TestEffects1793000000100,
} from './support/messaging-test-kit';

const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };
const CONSUMER = 'test-ThingHappened';
const DAY_MS = 24 * 3600_000;

function fakeEvent(n: number, facilityId = 'us-tx-01'): RecordedEvent {
  return {
    eventId: randomUUID(),
    type: 'ThingHappened',
    schemaVersion: 1,
    data: { n },
    streamId: `thing-${n}`,
    streamType: 'thing',
    streamVersion: 1,
    position: BigInt(n + 1),
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actor: 'test:runner',
      facilityId,
      occurredAt: new Date().toISOString(),
    },
  };
}

describe.each(TEST_DRIVERS)('JetStreamEventConsumer on %s (real NATS)', (driver) => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let database: TestDatabase;
  let store: EventStore;
  let names: MessagingNames;
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    nc = await connectForTest(`consumer-${driver}`);
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
    await ensureContextStream(jsm, { context: 'procurement', names });
    await ensureDeadLetterStream(jsm, { names });
  });

  afterEach(async () => {
    for (const service of running.splice(0).reverse()) await service.stop();
    await deleteMessagingNamespace(jsm, names);
    await database.dispose();
  });

  async function publish(envelope: EventEnvelope, msgID = envelope.eventId): Promise<void> {
    const subject = names.subjectOf('procurement', envelope.facilityId, envelope.type);
    await jetstream(nc).publish(subject, encodeEnvelope(envelope), {
      msgID,
      headers: envelopeHeaders(envelope),
    });
  }

  async function publishMany(count: number): Promise<EventEnvelope[]> {
    const envelopes = Array.from({ length: count }, (_, n) => envelopeOf(fakeEvent(n)));
    for (const envelope of envelopes) await publish(envelope);
    return envelopes;
  }

  function consumer(
    handler: JetStreamEventConsumerOptions['handler'],
    options: Partial<JetStreamEventConsumerOptions> = {},
  ): JetStreamEventConsumer {
    const created = new JetStreamEventConsumer({
      connection: nc,
      store,
      names,
      name: CONSUMER,
      filterSubject: 'fleet.procurement.*.ThingHappened',
      handler,
      logger: SILENT,
      fetchExpiresMs: 1000,
      retryBackoffMs: [50, 100],
      ...options,
    });
    running.push(created);
    return created;
  }

  const recordEffect: JetStreamEventConsumerOptions['handler'] = async (envelope, context) => {
    await context.session.manager.query(insertEffectSql(store.dialect), [
      context.consumer,
      envelope.eventId,
      null,
    ]);
  };

  async function inboxRows(): Promise<{ consumer: string; event_id: string }[]> {
    return store.transaction(
      async (session) =>
        (await session.manager.query(`SELECT consumer, event_id FROM inbox`)) as {
          consumer: string;
          event_id: string;
        }[],
    );
  }

  async function deadLetters() {
    return (await streamMessageCount(jsm, names.deadLetterStream)) === 0
      ? []
      : streamMessages(nc, names.deadLetterStream);
  }

  it('handles each event once, committing its effects with the inbox row before the ack', async () => {
    const envelopes = await publishMany(30);
    // The same events stored again under other message ids: what a redelivery looks like.
    for (const envelope of envelopes.slice(0, 5)) await publish(envelope, randomUUID());
    const metrics = new RecordingMetrics();
    const seen: { subject: string; deliveryCount: number; stream: string; sequence: number }[] = [];
    const subject = consumer(
      async (envelope, context) => {
        seen.push({
          subject: context.subject,
          deliveryCount: context.deliveryCount,
          stream: context.stream,
          sequence: context.streamSequence,
        });
        await recordEffect(envelope, context);
      },
      { metrics, batchSize: 7, lagIntervalMs: 0 },
    );
    await subject.start();
    await eventually(
      () => (metrics.outcomes['handled'] ?? 0) + (metrics.outcomes['duplicate'] ?? 0) === 35,
      '35 messages',
    );

    expect(metrics.outcomes).toEqual({ handled: 30, duplicate: 5 });
    expect(await effectCounts(store)).toMatchObject({ total: 30, distinct: 30 });
    const inbox = await inboxRows();
    expect(inbox).toHaveLength(30);
    expect(new Set(inbox.map((row) => row.event_id))).toEqual(
      new Set(envelopes.map((envelope) => envelope.eventId)),
    );
    expect(inbox.every((row) => row.consumer === CONSUMER)).toBe(true);
    expect(seen[0]).toEqual({
      subject: 'fleet.procurement.us-tx-01.ThingHappened',
      deliveryCount: 1,
      stream: names.streamOf('procurement'),
      sequence: 1,
    });
    await eventually(async () => (await subject.lag()) === 0, 'no lag');
    const info = await jsm.consumers.info(names.streamOf('procurement'), CONSUMER);
    expect(info.num_ack_pending).toBe(0);
    expect(metrics.consumerLags.length).toBeGreaterThan(0);
  });

  it('rolls back a failed attempt and retries with backoff until the handler succeeds', async () => {
    const [flaky] = await publishMany(3);
    const metrics = new RecordingMetrics();
    const attempts: number[] = [];
    await consumer(
      async (envelope, context) => {
        await recordEffect(envelope, context);
        if (envelope.eventId === flaky.eventId) {
          attempts.push(context.deliveryCount);
          if (context.deliveryCount < 3) throw new Error('the database of a neighbour is down');
        }
      },
      { metrics },
    ).start();
    await eventually(() => metrics.outcomes['handled'] === 3, '3 handled');
    expect(attempts).toEqual([1, 2, 3]);
    expect(metrics.outcomes['retried']).toBe(2);
    const effects = await effectCounts(store);
    expect(effects).toMatchObject({ total: 3, distinct: 3 });
    expect(effects.byEvent.get(flaky.eventId)).toBe(1);
  });

  it('resumes after a consumer is killed mid-batch and processes everything exactly once', async () => {
    await publishMany(60);
    const doomedConnection = await connectForTest(`consumer-doomed-${driver}`);
    let handled = 0;
    const doomed = consumer(
      async (envelope, context) => {
        // A dead process runs no more handlers: what it had fetched is lost with it.
        if (handled >= 25) throw new Error('this process is dead');
        await recordEffect(envelope, context);
        handled += 1;
        // It dies here: this effect commits, its ack never leaves.
        if (handled === 25) await doomedConnection.close();
      },
      { connection: doomedConnection, batchSize: 20, ackWaitMs: 1000 },
    );
    await doomed.start();
    await eventually(() => doomedConnection.isClosed(), 'the kill');
    expect((await effectCounts(store)).total).toBe(25);

    const metrics = new RecordingMetrics();
    await consumer(recordEffect, { metrics, batchSize: 20, ackWaitMs: 1000 }).start();
    await eventually(
      async () => (await effectCounts(store)).distinct === 60,
      'all 60 events handled',
      25_000,
    );
    await eventually(() => (metrics.outcomes['duplicate'] ?? 0) >= 1, 'the unacknowledged 25th to come back');
    expect(await effectCounts(store)).toMatchObject({ total: 60, distinct: 60 });
    expect(metrics.outcomes['duplicate']).toBe(1);
  });

  it('dead-letters a message that keeps failing after maxDeliver attempts while the ones behind it flow', async () => {
    const [poison, ...healthy] = await publishMany(11);
    const metrics = new RecordingMetrics();
    let lastHealthyAt = 0;
    await consumer(
      async (envelope, context) => {
        await recordEffect(envelope, context);
        if (envelope.eventId === poison.eventId)
          throw new Error(`rig model for ${envelope.eventId} is unknown`);
        lastHealthyAt = Date.now();
      },
      { metrics, maxDeliver: 3, retryBackoffMs: [300] },
    ).start();

    const [letter] = await eventually(async () => {
      const letters = await deadLetters();
      return letters.length === 1 ? letters : undefined;
    }, 'a dead letter');
    const deadLetteredAt = Date.now();
    expect(metrics.outcomes['handled']).toBe(10);
    expect(lastHealthyAt).toBeLessThan(deadLetteredAt);
    expect(letter.subject).toBe(names.deadLetterSubject(CONSUMER));
    expect(letter.json<EventEnvelope>().eventId).toBe(poison.eventId);
    expect(letter.headers?.get(DeadLetterHeaders.reason)).toBe('max-deliveries');
    expect(letter.headers?.get(DeadLetterHeaders.error)).toContain(
      `rig model for ${poison.eventId} is unknown`,
    );
    expect(letter.headers?.get(DeadLetterHeaders.deliveryCount)).toBe('3');
    expect(letter.headers?.get(DeadLetterHeaders.consumer)).toBe(CONSUMER);
    expect(letter.headers?.get(DeadLetterHeaders.originalSubject)).toBe(
      names.subjectOf('procurement', 'us-tx-01', 'ThingHappened'),
    );
    expect(letter.headers?.get(DeadLetterHeaders.originalStream)).toBe(names.streamOf('procurement'));
    expect(letter.headers?.get('Fleet-Event-Type')).toBe('ThingHappened');
    expect(metrics.deadLetters).toEqual(['max-deliveries']);
    const effects = await effectCounts(store);
    expect(effects.byEvent.has(poison.eventId)).toBe(false);
    expect(effects).toMatchObject({ total: 10, distinct: 10 });
    expect(healthy.every((envelope) => effects.byEvent.get(envelope.eventId) === 1)).toBe(true);
    // Terminated, not left pending for another redelivery.
    await eventually(
      async () => (await jsm.consumers.info(names.streamOf('procurement'), CONSUMER)).num_ack_pending === 0,
      'nothing pending',
      3000,
    );
  });

  it('dead-letters on the spare delivery when the last attempt died, never dropping the message', async () => {
    const [envelope] = await publishMany(1);
    const doomedConnection = await connectForTest(`consumer-dying-${driver}`);
    await consumer(
      async (_envelope, context) => {
        // The last attempt takes the process down with it.
        if (context.deliveryCount === 2) await doomedConnection.close();
        throw new Error(`attempt ${context.deliveryCount} failed`);
      },
      { connection: doomedConnection, maxDeliver: 2, ackWaitMs: 1000 },
    ).start();
    await eventually(() => doomedConnection.isClosed(), 'the second attempt to kill it');

    let survivorCalls = 0;
    await consumer(
      async () => {
        survivorCalls += 1;
      },
      { maxDeliver: 2, ackWaitMs: 1000 },
    ).start();
    const [letter] = await eventually(async () => {
      const letters = await deadLetters();
      return letters.length === 1 ? letters : undefined;
    }, 'the dead letter');
    expect(letter.json<EventEnvelope>().eventId).toBe(envelope.eventId);
    expect(letter.headers?.get(DeadLetterHeaders.reason)).toBe('max-deliveries');
    expect(letter.headers?.get(DeadLetterHeaders.deliveryCount)).toBe('3');
    expect(letter.headers?.get(DeadLetterHeaders.error)).toContain('the last attempt never finished');
    expect(survivorCalls).toBe(0);
    // No inbox row: the dead letter can be replayed into this consumer later.
    expect(await inboxRows()).toEqual([]);
  });

  it('dead-letters an unparseable message, a PoisonMessageError and a zod error at once', async () => {
    await publishRaw(
      nc,
      names.subjectOf('procurement', 'us-tx-01', 'ThingHappened'),
      '{"not": "an envelope"',
    );
    const [declared, invalid, fine] = await publishMany(3);
    const metrics = new RecordingMetrics();
    await consumer(
      async (envelope, context) => {
        if (envelope.eventId === declared.eventId)
          throw new PoisonMessageError('refers to an order that never existed');
        if (envelope.eventId === invalid.eventId) z.object({ serial: z.string() }).parse(envelope.data);
        await recordEffect(envelope, context);
      },
      { metrics, maxDeliver: 5 },
    ).start();
    const letters = await eventually(async () => {
      const found = await deadLetters();
      return found.length === 3 ? found : undefined;
    }, '3 dead letters');
    expect(letters.map((letter) => letter.headers?.get(DeadLetterHeaders.reason))).toEqual([
      'invalid-envelope',
      'poison',
      'poison',
    ]);
    expect(letters.map((letter) => letter.headers?.get(DeadLetterHeaders.deliveryCount))).toEqual([
      '1',
      '1',
      '1',
    ]);
    expect(letters[0].headers?.get(DeadLetterHeaders.error)).toMatch(/^not JSON/);
    expect(new TextDecoder().decode(letters[0].data)).toBe('{"not": "an envelope"');
    expect(letters[1].headers?.get(DeadLetterHeaders.error)).toContain(
      'refers to an order that never existed',
    );
    expect(letters[2].headers?.get(DeadLetterHeaders.error)).toContain('serial');
    await eventually(() => metrics.outcomes['handled'] === 1, 'the healthy one');
    expect((await effectCounts(store)).byEvent.get(fine.eventId)).toBe(1);
    expect(metrics.outcomes['retried']).toBeUndefined();
  });

  it('dead-letters, never handles, an event copied into its stream from another one, and a misfiled envelope', async () => {
    // A forged event on procurement's subject, held by another stream that PROCUREMENT then sources
    // from (sourcing keeps the subject): what a misconfigured or malicious stream source delivers.
    const procurement = names.streamOf('procurement');
    const forgedStream = `${names.namespace.toUpperCase()}_FORGED`;
    await jsm.streams.delete(procurement);
    await jsm.streams.add({ name: forgedStream, subjects: [names.subjectsOf('procurement')] });
    try {
      const forged = envelopeOf(fakeEvent(0));
      await publish(forged);
      const forgedInfo = await jsm.streams.info(forgedStream);
      await jsm.streams.update(forgedStream, {
        ...forgedInfo.config,
        subjects: [`${names.namespace}.forged.>`],
      });
      const created = await ensureContextStream(jsm, { context: 'procurement', names });
      await jsm.streams.update(procurement, { ...created.config, sources: [{ name: forgedStream }] });
      await eventually(async () => (await streamMessageCount(jsm, procurement)) === 1, 'the forgery sourced');
      // Published by the owner, but a ThingGrew envelope on ThingHappened's subject.
      const misfiled = { ...envelopeOf(fakeEvent(1)), type: 'ThingGrew' };
      await jetstream(nc).publish(
        names.subjectOf('procurement', 'us-tx-01', 'ThingHappened'),
        encodeEnvelope(misfiled),
        {
          msgID: misfiled.eventId,
        },
      );
      const [genuine] = await publishMany(1);
      const metrics = new RecordingMetrics();
      await consumer(recordEffect, { metrics }).start();

      const letters = await eventually(async () => {
        const found = await deadLetters();
        return found.length === 2 ? found : undefined;
      }, '2 dead letters');
      expect(letters.map((letter) => letter.headers?.get(DeadLetterHeaders.reason))).toEqual([
        'untrusted-source',
        'untrusted-source',
      ]);
      expect(letters[0].headers?.get(DeadLetterHeaders.error)).toMatch(
        new RegExp(`^copied into ${procurement} from another stream \\(Nats-Stream-Source: ${forgedStream}`),
      );
      expect(letters[1].headers?.get(DeadLetterHeaders.error)).toMatch(
        /^a ThingGrew envelope on the subject of ThingHappened events/,
      );
      await eventually(() => metrics.outcomes['handled'] === 1, 'the genuine event');
      const effects = await effectCounts(store);
      expect(effects.byEvent.get(genuine.eventId)).toBe(1);
      expect(effects.total).toBe(1);
      expect(await inboxRows()).toEqual([{ consumer: CONSUMER, event_id: genuine.eventId }]);
      expect(metrics.deadLetters).toEqual(['untrusted-source', 'untrusted-source']);
      // A replay would publish the forgery on procurement's subject, as procurement's: refused, even forced.
      const deadLetterStream = new DeadLetterStream(nc, names);
      const [forgedLetter] = await deadLetterStream.list({ consumer: CONSUMER });
      const replayed = await deadLetterStream.replay(forgedLetter, { inboxRetentionMs: DAY_MS, force: true });
      expect(replayed).toEqual({ outcome: 'kept', why: expect.stringMatching(/^it was not published to /) });
      expect(await deadLetterStream.list({ consumer: CONSUMER })).toHaveLength(2);
      expect(await streamMessageCount(jsm, procurement)).toBe(3);
    } finally {
      await jsm.streams.delete(forgedStream).catch(() => undefined);
    }
  });

  it('retries a failed dead-letter publish in process instead of nak-ing the message to its end', async () => {
    const [envelope] = await publishMany(1);
    const metrics = new RecordingMetrics();
    await consumer(
      async () => {
        throw new Error('always fails');
      },
      { metrics, maxDeliver: 1, ackWaitMs: 1000, retryBackoffMs: [50] },
    ).start();
    // The dead-letter stream disappears after the consumer bound: publishing to it fails.
    await jsm.streams.delete(names.deadLetterStream);
    const info = await jsm.consumers.info(names.streamOf('procurement'), CONSUMER);
    expect(info.config.max_deliver).toBe(1 + SPARE_DELIVERIES);
    // Long enough for several nak-and-redeliver rounds, which would have used up every delivery.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(metrics.outcomes['retried']).toBeUndefined();
    await ensureDeadLetterStream(jsm, { names });

    const [letter] = await eventually(async () => {
      const letters = await deadLetters();
      return letters.length === 1 ? letters : undefined;
    }, 'the dead letter');
    expect(letter.json<EventEnvelope>().eventId).toBe(envelope.eventId);
    expect(letter.headers?.get(DeadLetterHeaders.deliveryCount)).toBe('1');
    expect(metrics.deadLetters).toEqual(['max-deliveries']);
    await eventually(async () => {
      const after = await jsm.consumers.info(names.streamOf('procurement'), CONSUMER);
      return after.num_ack_pending === 0 && after.num_pending === 0 && after.num_redelivered === 0;
    }, 'nothing pending or redelivered');
  });

  it('reports itself stalled while it cannot dead-letter, keeps reporting its lag, and recovers', async () => {
    const metrics = new RecordingMetrics();
    // One message a fetch: the ones behind the stuck message stay undelivered, which the lag counts.
    const subject = consumer(recordEffect, { metrics, lagIntervalMs: 50, batchSize: 1 });
    await subject.start();
    expect(metrics.stalled).toEqual([false]);
    await jsm.streams.delete(names.deadLetterStream);
    await publishRaw(nc, names.subjectOf('procurement', 'us-tx-01', 'ThingHappened'), 'not an envelope');

    const stall = await eventually(() => subject.stall, 'the consumer to report its stall');
    expect(stall.reason).toMatch(/^cannot dead-letter .*ThingHappened #1 \(\d+ attempts\): /);
    // A single refused publish is not a stall: only a few in a row.
    expect(Number(/\((\d+) attempts\)/.exec(stall.reason)?.[1])).toBeGreaterThanOrEqual(3);
    expect(metrics.stalled).toEqual([false, true]);
    // Everything behind the stuck message waits, and the lag says so.
    const waiting = await publishMany(3);
    await eventually(() => metrics.consumerLags.at(-1) === 3, 'the lag of the messages behind it');
    expect(subject.stall?.since).toEqual(stall.since);

    await ensureDeadLetterStream(jsm, { names });
    await eventually(() => subject.stall === undefined, 'the consumer to move on');
    expect(metrics.stalled).toEqual([false, true, false]);
    expect(metrics.deadLetters).toEqual(['invalid-envelope']);
    await eventually(async () => (await effectCounts(store)).distinct === waiting.length, 'the rest');
  });

  it('rides out a database outage without using up deliveries or dead-lettering anything', async () => {
    const envelopes = await publishMany(6);
    const metrics = new RecordingMetrics();
    const deliveryCounts: number[] = [];
    // A real outage: the store's DataSource is closed (pool or file handle gone) and reopened later.
    await database.dataSource.destroy();
    await consumer(
      async (envelope, context) => {
        deliveryCounts.push(context.deliveryCount);
        await recordEffect(envelope, context);
      },
      { metrics, maxDeliver: 2, ackWaitMs: 1000, retryBackoffMs: [50], batchSize: 3 },
    ).start();
    // Several ack waits and, before the fix, enough 1 s fetch rounds to dead-letter all of them.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(await streamMessageCount(jsm, names.deadLetterStream)).toBe(0);
    await database.dataSource.initialize();

    await eventually(async () => (await effectCounts(store)).distinct === 6, 'all 6 handled', 30_000);
    expect((await effectCounts(store)).total).toBe(6);
    expect(new Set((await effectCounts(store)).byEvent.keys())).toEqual(
      new Set(envelopes.map((envelope) => envelope.eventId)),
    );
    expect(deliveryCounts).toEqual([1, 1, 1, 1, 1, 1]);
    expect(metrics.outcomes).toEqual({ handled: 6 });
    expect(await deadLetters()).toEqual([]);
  }, 40_000);

  it('keeps a slow batch in hand: the messages waiting their turn are not redelivered elsewhere', async () => {
    await publishMany(8);
    const deliveryCounts: number[] = [];
    const metrics = new RecordingMetrics();
    const slowHandler: JetStreamEventConsumerOptions['handler'] = async (envelope, context) => {
      deliveryCounts.push(context.deliveryCount);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await recordEffect(envelope, context);
    };
    // The first instance takes all 8 (2.4 s of work, over twice the ack wait); the second waits
    // with a pull request open and would get any message whose ack wait ran out.
    const first = consumer(slowHandler, { metrics, ackWaitMs: 1000, batchSize: 8 });
    await first.start();
    await eventually(() => deliveryCounts.length > 0, 'the first instance to start its batch');
    await consumer(slowHandler, { metrics, ackWaitMs: 1000, batchSize: 8 }).start();

    await eventually(() => (metrics.outcomes['handled'] ?? 0) === 8, '8 handled');
    // Room for a redelivery to show up as a second delivery or a duplicate.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(deliveryCounts).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(metrics.outcomes).toEqual({ handled: 8 });
    expect((await effectCounts(store)).total).toBe(8);
  });

  it('finishes the batch it holds on stop() and leaves the rest to the next start', async () => {
    await publishMany(40);
    let handled = 0;
    let stopping: Promise<void> | undefined;
    const subject = consumer(
      async (envelope, context) => {
        await recordEffect(envelope, context);
        handled += 1;
        if (handled === 3) stopping = subject.stop();
      },
      { batchSize: 10 },
    );
    await subject.start();
    await eventually(() => stopping !== undefined, 'stop() to be called');
    await stopping;
    expect(handled).toBe(10);
    const info = await jsm.consumers.info(names.streamOf('procurement'), CONSUMER);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(30);

    await subject.start();
    await eventually(async () => (await effectCounts(store)).distinct === 40, 'the other 30');
    expect((await effectCounts(store)).total).toBe(40);
  });

  describe('with groupCommit', () => {
    /** Counts the store's transactions from now on. */
    function countTransactions(): { readonly count: number } {
      const counter = { count: 0 };
      const transaction = store.transaction.bind(store);
      store.transaction = (work) => {
        counter.count += 1;
        return transaction(work);
      };
      return counter;
    }

    it('handles the delivered messages in order, in far fewer transactions, each event once', async () => {
      const envelopes = await publishMany(40);
      // A redelivery's look-alike in the middle of the stream: handled once all the same.
      await publish(envelopes[3], randomUUID());
      const transactions = countTransactions();
      const metrics = new RecordingMetrics();
      const order: number[] = [];
      await consumer(
        async (envelope, context) => {
          order.push((envelope.data as { n: number }).n);
          await recordEffect(envelope, context);
        },
        { metrics, batchSize: 50, groupCommit: true },
      ).start();
      await eventually(
        () => (metrics.outcomes['handled'] ?? 0) + (metrics.outcomes['duplicate'] ?? 0) === 41,
        '41 messages',
      );
      expect(metrics.outcomes).toEqual({ handled: 40, duplicate: 1 });
      expect(order).toEqual(envelopes.map((_, n) => n));
      expect(await effectCounts(store)).toMatchObject({ total: 40, distinct: 40 });
      expect(await inboxRows()).toHaveLength(40);
      // One per group of messages at hand (how they group depends on how they arrive), so fewer
      // than one per message: without groupCommit there would be 41.
      expect(transactions.count).toBeLessThan(41);
    });

    it('handles one by one a group whose transaction failed: the poison one is dead-lettered, the rest handled once', async () => {
      const envelopes = await publishMany(12);
      const poisoned = envelopes[5];
      const metrics = new RecordingMetrics();
      await consumer(
        async (envelope, context) => {
          await recordEffect(envelope, context);
          if (envelope.eventId === poisoned.eventId) throw new PoisonMessageError('no such rig');
        },
        { metrics, batchSize: 50, groupCommit: true },
      ).start();
      const letters = await eventually(async () => {
        const found = await deadLetters();
        return found.length === 1 ? found : undefined;
      }, 'one dead letter');
      expect(letters[0].headers?.get(DeadLetterHeaders.reason)).toBe('poison');
      await eventually(() => metrics.outcomes['handled'] === 11, 'the other 11');
      const effects = await effectCounts(store);
      expect(effects).toMatchObject({ total: 11, distinct: 11 });
      expect(effects.byEvent.get(poisoned.eventId)).toBeUndefined();
      expect(metrics.outcomes['retried']).toBeUndefined();
    });
  });
  describe('with a batchHandler', () => {
    function batchConsumer(
      batchHandler: EventBatchHandler,
      options: Partial<JetStreamEventConsumerOptions> = {},
    ): JetStreamEventConsumer {
      const created = new JetStreamEventConsumer({
        connection: nc,
        store,
        names,
        name: CONSUMER,
        filterSubject: 'fleet.procurement.*.ThingHappened',
        batchHandler,
        logger: SILENT,
        fetchExpiresMs: 1000,
        retryBackoffMs: [50, 100],
        batchSize: 50,
        ...options,
      });
      running.push(created);
      return created;
    }

    /** The run's effects in one statement per call, as a set-based handler writes them. */
    const recordEffects: EventBatchHandler = async (envelopes, context) => {
      for (const envelope of envelopes)
        await context.session.manager.query(insertEffectSql(store.dialect), [
          context.consumer,
          envelope.eventId,
          null,
        ]);
    };

    it('hands over the runs of messages at hand, in order, each event once', async () => {
      const envelopes = await publishMany(40);
      // The same event again under another message id: claimed once, never handed over twice.
      await publish(envelopes[3], randomUUID());
      const metrics = new RecordingMetrics();
      const calls: number[][] = [];
      await batchConsumer(
        async (batch, context) => {
          expect(context.size).toBe(batch.length);
          expect(context.messages).toHaveLength(batch.length);
          calls.push(batch.map((envelope) => (envelope.data as { n: number }).n));
          await recordEffects(batch, context);
        },
        { metrics },
      ).start();
      await eventually(
        () => (metrics.outcomes['handled'] ?? 0) + (metrics.outcomes['duplicate'] ?? 0) === 41,
        '41 messages',
      );
      expect(metrics.outcomes).toEqual({ handled: 40, duplicate: 1 });
      expect(calls.flat()).toEqual(envelopes.map((_, n) => n));
      // Fewer calls than events: some run held more than one (how they group depends on arrival).
      expect(calls.length).toBeLessThan(40);
      expect(await effectCounts(store)).toMatchObject({ total: 40, distinct: 40 });
      expect(await inboxRows()).toHaveLength(40);
    });

    it('never hands over an event its inbox already holds', async () => {
      const envelopes = await publishMany(5);
      // Handled before (its inbox row is there): a second delivery must not reach the handler.
      await store.transaction((session) => claimInboxEntries(session, CONSUMER, [envelopes[2].eventId]));
      const seen: string[] = [];
      const metrics = new RecordingMetrics();
      await batchConsumer(
        async (batch, context) => {
          seen.push(...batch.map((envelope) => envelope.eventId));
          await recordEffects(batch, context);
        },
        { metrics },
      ).start();
      await eventually(
        () => (metrics.outcomes['handled'] ?? 0) + (metrics.outcomes['duplicate'] ?? 0) === 5,
        '5 messages',
      );
      expect(metrics.outcomes).toEqual({ handled: 4, duplicate: 1 });
      expect(seen).not.toContain(envelopes[2].eventId);
      expect(new Set(seen).size).toBe(4);
    });

    it('falls back to one message per call when a run fails: only the poison one is dead-lettered', async () => {
      const envelopes = await publishMany(12);
      const poisoned = envelopes[5];
      const metrics = new RecordingMetrics();
      const sizes: number[] = [];
      await batchConsumer(
        async (batch, context) => {
          sizes.push(batch.length);
          // The run's effects go first, so a failing run proves they are rolled back.
          await recordEffects(batch, context);
          if (batch.some((envelope) => envelope.eventId === poisoned.eventId))
            throw new PoisonMessageError('no such rig');
        },
        { metrics },
      ).start();
      const letters = await eventually(async () => {
        const found = await deadLetters();
        return found.length === 1 ? found : undefined;
      }, 'one dead letter');
      expect(letters[0].headers?.get(DeadLetterHeaders.reason)).toBe('poison');
      expect(letters[0].headers?.get(DeadLetterHeaders.originalMsgId)).toBe(poisoned.eventId);
      await eventually(() => metrics.outcomes['handled'] === 11, 'the other 11');
      const effects = await effectCounts(store);
      expect(effects).toMatchObject({ total: 11, distinct: 11 });
      expect(effects.byEvent.get(poisoned.eventId)).toBeUndefined();
      expect(await inboxRows()).toHaveLength(11);
      expect(metrics.outcomes['retried']).toBeUndefined();
      // The poison message came alone after its run failed.
      expect(sizes).toContain(1);
    });

    it('retries a run that failed for a passing reason, one message at a time, each handled once', async () => {
      const envelopes = await publishMany(8);
      const flaky = envelopes[4];
      let failures = 0;
      const metrics = new RecordingMetrics();
      await batchConsumer(
        async (batch, context) => {
          await recordEffects(batch, context);
          if (batch.some((envelope) => envelope.eventId === flaky.eventId) && failures < 2) {
            failures += 1;
            throw new Error('a lock timeout');
          }
        },
        { metrics },
      ).start();
      await eventually(() => metrics.outcomes['handled'] === 8, 'all 8 handled');
      // The flaky message alone after its run failed: naked, then handled on a redelivery.
      expect(metrics.outcomes['retried']).toBeGreaterThanOrEqual(1);
      expect(await effectCounts(store)).toMatchObject({ total: 8, distinct: 8 });
      expect(await deadLetters()).toHaveLength(0);
    });

    it('with lingerMs, gathers messages that trickle in into one run', async () => {
      const calls: number[] = [];
      const metrics = new RecordingMetrics();
      await batchConsumer(
        async (batch, context) => {
          calls.push(batch.length);
          await recordEffects(batch, context);
        },
        { metrics, lingerMs: 1500, fetchExpiresMs: 5000 },
      ).start();
      for (let n = 0; n < 10; n++) {
        await publish(envelopeOf(fakeEvent(n)));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await eventually(() => metrics.outcomes['handled'] === 10, 'all 10 handled');
      // Without the linger each message, 20 ms behind the last, would be a run of its own.
      expect(calls.length).toBeLessThanOrEqual(5);
      expect(await effectCounts(store)).toMatchObject({ total: 10, distinct: 10 });
    });

    it('takes exactly one of handler and batchHandler', () => {
      expect(
        () =>
          new JetStreamEventConsumer({
            connection: nc,
            store,
            names,
            name: CONSUMER,
            filterSubject: 'fleet.procurement.*.ThingHappened',
            handler: recordEffect,
            batchHandler: recordEffects,
          }),
      ).toThrow(/exactly one of handler and batchHandler/);
    });
  });
});
