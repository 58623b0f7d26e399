import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { defer, from, map, type Observable } from 'rxjs';
import { z } from 'zod';
import { defineEvent, subjectOfTypeInAnyFacility, type EventEnvelope } from '@fleet/contracts';
import { createEventStore, type EventStore, type RecordedEvent } from '@fleet/event-sourcing';
import { createTestDatabase, type TestDatabase } from '@fleet/event-sourcing/testing';
import { DeadLetterHeaders } from '../src/consumer/dead-letter';
import { JetStreamBatchContext } from '../src/consumer/jetstream-batch-context';
import { JetStreamContext } from '../src/consumer/jetstream-context';
import { PoisonMessageError } from '../src/consumer/poison-message.error';
import { encodeEnvelope, envelopeHeaders, envelopeOf } from '../src/envelope/envelope-codec';
import { messagingMigrations } from '../src/migrations/messaging.migrations';
import { deleteMessagingNamespace } from '../src/naming/delete-namespace';
import { MessagingNames } from '../src/naming/messaging-names';
import { ensureContextStream, ensureDeadLetterStream } from '../src/setup/context-stream';
import { JetStreamErrorFilter } from '../src/transport/jetstream-error.filter';
import { JetStreamTransport } from '../src/transport/jetstream.transport';
import { JetStreamEventPattern, OnContextEvents, OnEvent } from '../src/transport/event-pattern.decorators';
import { SPARE_DELIVERIES } from '../src/consumer/redelivery';
import {
  connectForTest,
  effectCounts,
  eventually,
  insertEffectSql,
  streamMessageCount,
  streamMessages,
  TEST_EVENT_TYPES,
  TestEffects1793000000100,
} from './support/messaging-test-kit';

const ThingHappened = defineEvent('procurement', 'ThingHappened', 1, z.object({ n: z.number() }));

const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };

interface Seen {
  readonly handler: string;
  readonly subject: string;
  readonly consumer: string;
  readonly deliveryCount: number;
  readonly streamSequence: number;
  readonly sessionIsOpen: boolean;
}

/** A reader of every event of a context, in the stream's order (what reporting does). */
@Controller()
class InventoryReader {
  static seen: { type: string; consumer: string; streamSequence: number }[] = [];

  @OnContextEvents('inventory')
  read(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    InventoryReader.seen.push({
      type: envelope.type,
      consumer: context.consumer,
      streamSequence: context.streamSequence,
    });
    return Promise.resolve();
  }
}

@Controller()
class ThingsListener {
  static seen: Seen[] = [];
  static failGrowthOnce = new Set<string>();

  private note(handler: string, context: JetStreamContext): void {
    ThingsListener.seen.push({
      handler,
      subject: context.subject,
      consumer: context.consumer,
      deliveryCount: context.deliveryCount,
      streamSequence: context.streamSequence,
      sessionIsOpen: context.session.manager.queryRunner?.isTransactionActive ?? false,
    });
  }

  /** A promise-returning handler. */
  @OnEvent(ThingHappened)
  async onThingHappened(
    @Payload() envelope: EventEnvelope<{ n: number }>,
    @Ctx() context: JetStreamContext,
  ): Promise<void> {
    this.note('happened', context);
    await context.session.manager.query(
      insertEffectSql(context.session.manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite'),
      [context.consumer, envelope.eventId, `n=${envelope.data.n}`],
    );
  }

  /** An observable-returning handler that fails its first attempt after writing (rolled back). */
  @JetStreamEventPattern(subjectOfTypeInAnyFacility('procurement', 'ThingGrew'))
  onThingGrew(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Observable<void> {
    this.note('grew', context);
    const dialect = context.session.manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
    return from(
      context.session.manager.query(insertEffectSql(dialect), [context.consumer, envelope.eventId, 'grew']),
    ).pipe(
      map(() => {
        if (ThingsListener.failGrowthOnce.delete(envelope.eventId))
          throw new Error('the first growth spurt fails');
      }),
    );
  }

  static counted: { size: number; envelopes: number; consumer: string; sessionIsOpen: boolean }[] = [];

  /** A batch handler: the envelopes of a run of messages in one call, in one transaction. */
  @JetStreamEventPattern(subjectOfTypeInAnyFacility('procurement', 'ThingCounted'), { batch: true })
  async onThingsCounted(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    ThingsListener.counted.push({
      size: context.size,
      envelopes: envelopes.length,
      consumer: context.consumer,
      sessionIsOpen: context.session.manager.queryRunner?.isTransactionActive ?? false,
    });
    const dialect = context.session.manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
    for (const envelope of envelopes)
      await context.session.manager.query(insertEffectSql(dialect), [
        context.consumer,
        envelope.eventId,
        'counted',
      ]);
  }

  /** A named consumer whose handler declares the message poison. */
  @JetStreamEventPattern(subjectOfTypeInAnyFacility('procurement', 'ThingBroke'), {
    consumer: 'things-breakage',
  })
  onThingBroke(@Payload() envelope: EventEnvelope): Observable<never> {
    return defer(() => {
      throw new PoisonMessageError(`thing ${envelope.streamId} broke beyond repair`);
    });
  }
}

describe('JetStreamTransport in a Nest app (real NATS, SQLite)', () => {
  const names = MessagingNames.isolated();
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let database: TestDatabase;
  let store: EventStore;
  let app: INestApplication;

  beforeAll(async () => {
    nc = await connectForTest('transport');
    jsm = await jetstreamManager(nc);
    database = await createTestDatabase('sqlite', {
      migrations: [...messagingMigrations, TestEffects1793000000100],
    });
    store = createEventStore(database.dataSource, {
      schemaVersions: { ...TEST_EVENT_TYPES, ThingBroke: 1 },
    });
    await ensureContextStream(jsm, { context: 'procurement', names });
    await ensureDeadLetterStream(jsm, { names });

    const moduleRef = await Test.createTestingModule({
      controllers: [ThingsListener, InventoryReader],
    }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    // Deferred, so the filter is in place before the handlers are registered.
    const microservice = app.connectMicroservice(
      {
        strategy: new JetStreamTransport({
          connection: nc,
          store,
          consumerPrefix: 'things',
          names,
          maxDeliver: 3,
          retryBackoffMs: [100],
          fetchExpiresMs: 1000,
          logger: SILENT,
        }),
      },
      { deferInitialization: true },
    );
    microservice.useGlobalFilters(new JetStreamErrorFilter());
    await app.startAllMicroservices();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await deleteMessagingNamespace(jsm, names);
    await database?.dispose();
    await nc?.close();
  });

  async function publish(
    type: string,
    data: unknown,
    context: 'procurement' | 'inventory' = 'procurement',
  ): Promise<EventEnvelope> {
    const event: RecordedEvent = {
      eventId: randomUUID(),
      type,
      schemaVersion: 1,
      data,
      streamId: `thing-${randomUUID()}`,
      streamType: 'thing',
      streamVersion: 1,
      position: 1n,
      metadata: {
        correlationId: randomUUID(),
        causationId: null,
        actor: 'test:runner',
        facilityId: 'us-tx-01',
        occurredAt: new Date().toISOString(),
      },
    };
    const envelope = envelopeOf(event);
    await jetstream(nc).publish(names.subjectOf(context, 'us-tx-01', type), encodeEnvelope(envelope), {
      msgID: envelope.eventId,
      headers: envelopeHeaders(envelope),
    });
    return envelope;
  }

  it('creates one durable consumer per @EventPattern, named after the service and the event type', async () => {
    const consumers: string[] = [];
    for await (const info of jsm.consumers.list(names.streamOf('procurement'))) consumers.push(info.name);
    expect(consumers.sort()).toEqual([
      'things-ThingCounted',
      'things-ThingGrew',
      'things-ThingHappened',
      'things-breakage',
    ]);
    const info = await jsm.consumers.info(names.streamOf('procurement'), 'things-ThingHappened');
    expect(info.config.filter_subject).toBe(names.toWire('fleet.procurement.*.ThingHappened'));
    expect(info.config.max_deliver).toBe(3 + SPARE_DELIVERIES);
  });

  it('gives @OnContextEvents one durable <service>-<context> with every event of the context, in stream order', async () => {
    const info = await jsm.consumers.info(names.streamOf('inventory'), 'things-inventory');
    expect(info.config.filter_subject).toBe(names.toWire('fleet.inventory.*.*'));
    for (const type of ['RigRegistered', 'RigInstalled', 'SomethingNew', 'RigInstalled'])
      await publish(type, { n: 1 }, 'inventory');
    await eventually(() => InventoryReader.seen.length === 4, 'every inventory event read');
    expect(InventoryReader.seen.map(({ type, consumer }) => `${consumer} ${type}`)).toEqual([
      'things-inventory RigRegistered',
      'things-inventory RigInstalled',
      'things-inventory SomethingNew',
      'things-inventory RigInstalled',
    ]);
    expect(InventoryReader.seen.map(({ streamSequence }) => streamSequence)).toEqual([1, 2, 3, 4]);
  });

  it('routes each event to its handler with the envelope and an open session, promise or observable', async () => {
    ThingsListener.seen = [];
    const happened = await publish('ThingHappened', { n: 7 });
    const grew = await publish('ThingGrew', {});
    ThingsListener.failGrowthOnce.add(grew.eventId);
    await eventually(
      async () => (await effectCounts(store)).byEvent.has(grew.eventId),
      'the growth to be handled',
    );
    await eventually(async () => (await effectCounts(store)).byEvent.has(happened.eventId), 'the happening');

    const effects = await effectCounts(store);
    expect(effects.byEvent.get(happened.eventId)).toBe(1);
    // The failed first attempt's write was rolled back with it.
    expect(effects.byEvent.get(grew.eventId)).toBe(1);
    expect(ThingsListener.seen.filter((seen) => seen.handler === 'happened')).toEqual([
      {
        handler: 'happened',
        subject: 'fleet.procurement.us-tx-01.ThingHappened',
        consumer: 'things-ThingHappened',
        deliveryCount: 1,
        streamSequence: expect.any(Number),
        sessionIsOpen: true,
      },
    ]);
    expect(
      ThingsListener.seen.filter((seen) => seen.handler === 'grew').map((seen) => seen.deliveryCount),
    ).toEqual([1, 2]);
  });

  it('hands a { batch: true } handler the envelopes of a run at once, with an open session', async () => {
    const envelopes: EventEnvelope[] = [];
    for (let n = 0; n < 12; n++) envelopes.push(await publish('ThingCounted', { n }));
    await eventually(async () => {
      const { byEvent } = await effectCounts(store);
      return envelopes.every((envelope) => byEvent.get(envelope.eventId) === 1);
    }, 'every count handled once');
    const calls = ThingsListener.counted;
    expect(calls.reduce((sum, call) => sum + call.envelopes, 0)).toBe(12);
    for (const call of calls)
      expect(call).toEqual({
        size: call.envelopes,
        envelopes: call.envelopes,
        consumer: 'things-ThingCounted',
        sessionIsOpen: true,
      });
  });

  it('dead-letters what a handler declares poison, keeping the error text through Nest', async () => {
    const broke = await publish('ThingBroke', {});
    await eventually(
      async () => (await streamMessageCount(jsm, names.deadLetterStream)) === 1,
      'a dead letter',
    );
    const [letter] = await streamMessages(nc, names.deadLetterStream);
    expect(letter.subject).toBe(names.deadLetterSubject('things-breakage'));
    expect(letter.headers?.get(DeadLetterHeaders.reason)).toBe('poison');
    expect(letter.headers?.get(DeadLetterHeaders.error)).toContain(
      `thing ${broke.streamId} broke beyond repair`,
    );
    expect(letter.headers?.get(DeadLetterHeaders.deliveryCount)).toBe('1');
  });
});
