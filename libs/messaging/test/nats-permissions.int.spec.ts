import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, AckPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventEnvelope } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import type { TestDatabase } from '@fleet/event-sourcing/testing';
import { connectNats, NatsUnavailableError } from '../src/connection/connect-nats';
import { NatsSecret } from '../src/connection/nats-secret';
import { DeadLetterHeaders } from '../src/consumer/dead-letter';
import { JetStreamEventConsumer } from '../src/consumer/jetstream-event-consumer';
import { PoisonMessageError } from '../src/consumer/poison-message.error';
import { DeadLetterStream } from '../src/dead-letters/dead-letter-stream';
import { encodeEnvelope, envelopeHeaders } from '../src/envelope/envelope-codec';
import { MessagingNames } from '../src/naming/messaging-names';
import { JetStreamPublisher } from '../src/outbox/jetstream-publisher';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { ensureContextStream, ensureDeadLetterStream } from '../src/setup/context-stream';
import {
  appendThings,
  effectCounts,
  eventually,
  insertEffectSql,
  messagingTestStore,
  RecordingLogger,
  streamMessageCount,
  TestEffects1793000000100,
} from './support/messaging-test-kit';
import { startNatsWithFleetUsers, type FleetNatsUser, type PrivateNatsServer } from '../src/testing';

type User = FleetNatsUser;
const names = MessagingNames.production;
const CONSUMER = 'inventory-ShipmentUnitsReceived';

function receipt(facilityId = 'us-tx-01'): EventEnvelope {
  const id = randomBytes(8).toString('hex');
  return {
    eventId: `00000000-0000-4000-8000-${id.slice(0, 12)}`,
    type: 'ShipmentUnitsReceived',
    schemaVersion: 1,
    streamId: `order-${id}`,
    streamVersion: 1,
    position: '1',
    occurredAt: new Date().toISOString(),
    facilityId,
    actor: 'procurement:receiving',
    correlationId: `corr-${id}`,
    causationId: null,
    data: { id },
  };
}

describe('the shipped NATS permissions (k8s/nats/fleet-authorization.conf on a private nats-server)', () => {
  let server: PrivateNatsServer;
  let passwords: Readonly<Record<User, string>>;
  let database: TestDatabase;
  let store: EventStore;
  const open: NatsConnection[] = [];
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    ({ server, passwords } = await startNatsWithFleetUsers());
    ({ database, store } = await messagingTestStore('sqlite', [TestEffects1793000000100]));
  });

  afterAll(async () => {
    for (const service of running.reverse()) await service.stop();
    for (const connection of open) await connection.close();
    await server?.dispose();
    await database?.dispose();
  });

  /** As a service connects with NATS_USER, NATS_PASSWORD and NATS_INBOX_PREFIX=_INBOX_<user>. */
  async function connectAs(
    user: User,
    password = passwords[user],
    inboxPrefix = `_INBOX_${user}`,
  ): Promise<NatsConnection> {
    const connection = await connectNats({
      servers: server.url,
      name: `permissions-test-${user}`,
      security: {
        auth: { kind: 'user', setting: 'NATS_USER/NATS_PASSWORD', user, password: new NatsSecret(password) },
        inboxPrefix,
      },
    });
    open.push(connection);
    return connection;
  }

  function publishEvent(connection: NatsConnection, subject: string, envelope = receipt()) {
    return jetstream(connection).publish(subject, encodeEnvelope(envelope), {
      msgID: envelope.eventId,
      headers: envelopeHeaders(envelope),
    });
  }

  it('starts a consumer before its stream’s owner stalled, saying so, and binds once the owner has started', async () => {
    const logger = new RecordingLogger();
    const early = new JetStreamEventConsumer({
      connection: await connectAs('inventory'),
      store,
      names,
      name: CONSUMER,
      filterSubject: 'fleet.procurement.*.ShipmentUnitsReceived',
      logger,
      handler: async () => undefined,
    });
    try {
      await early.start();
      expect(early.stall?.reason).toMatch(
        /^consumer inventory-ShipmentUnitsReceived: waiting for stream PROCUREMENT, which procurement creates when it starts; this NATS user may not create it \(.*Permissions Violation for Publish to "\$JS\.API\.STREAM\.CREATE\.PROCUREMENT".*\)/i,
      );
      await ensureContextStream(await jetstreamManager(await connectAs('procurement')), {
        context: 'procurement',
        names,
      });
      await eventually(() => early.stall === undefined, 'the consumer bound once the stream exists');
      expect(await early.lag()).toBe(0);
    } finally {
      await early.stop();
    }
  });

  it('lets procurement create its stream and the dead-letter stream and publish its events, and nothing of others', async () => {
    const procurement = await connectAs('procurement');
    const jsm = await jetstreamManager(procurement);
    await ensureContextStream(jsm, { context: 'procurement', names });
    // Twice: the second start-up compares and updates.
    await ensureContextStream(jsm, { context: 'procurement', names, replicas: 1 });
    await ensureDeadLetterStream(jsm, { names });

    const ack = await publishEvent(procurement, 'fleet.procurement.us-tx-01.PurchaseOrderPlaced', {
      ...receipt(),
      type: 'PurchaseOrderPlaced',
    });
    expect(ack.stream).toBe('PROCUREMENT');
    // The service's own publisher: the outbox relay, with its chained expectations.
    const relayLog = new RecordingLogger();
    const relay = new OutboxRelay({
      store,
      connection: procurement,
      context: 'procurement',
      names,
      restartMarginMs: 0,
      pollIntervalMs: 100,
      logger: relayLog,
    });
    running.push(relay);
    relay.start();
    await appendThings(store, 3);
    relay.notify();
    await relay.caughtUp();
    expect(await streamMessageCount(jsm, 'PROCUREMENT')).toBe(4);
    expect(relayLog.text()).not.toMatch(/permission/i);

    await expect(publishEvent(procurement, 'fleet.inventory.us-tx-01.RigRegistered')).rejects.toThrow(
      /permissions violation/i,
    );
    await expect(ensureContextStream(jsm, { context: 'inventory', names })).rejects.toThrow(
      /permissions violation/i,
    );
  });

  it('refuses inventory publishing procurement’s events or touching procurement’s stream', async () => {
    const inventory = await connectAs('inventory');
    const jsm = await jetstreamManager(inventory);
    const before = await streamMessageCount(jsm, 'PROCUREMENT');

    await expect(publishEvent(inventory, 'fleet.procurement.us-tx-01.ShipmentUnitsReceived')).rejects.toThrow(
      /permissions violation for publish to "fleet\.procurement\.us-tx-01\.ShipmentUnitsReceived"/i,
    );
    // The relay's own publisher: the server's refusal, not a timeout (a minute here, past the test's).
    const relayPublisher = new JetStreamPublisher(inventory, 60_000);
    try {
      const envelope = receipt();
      await expect(
        relayPublisher.publish(
          'fleet.procurement.us-tx-01.ShipmentUnitsReceived',
          encodeEnvelope(envelope),
          envelopeHeaders(envelope),
        ),
      ).rejects.toThrow(
        /permissions violation for publish to "fleet\.procurement\.us-tx-01\.ShipmentUnitsReceived"/i,
      );
    } finally {
      relayPublisher.close();
    }
    await expect(
      jsm.streams.update('PROCUREMENT', { subjects: ['fleet.procurement.>', 'fleet.power.>'] }),
    ).rejects.toThrow(/permissions violation/i);
    // Someone else's durable consumer on procurement's stream: neither a new one nor procurement's.
    await expect(
      jsm.consumers.add('PROCUREMENT', {
        durable_name: 'inventory-Everything',
        ack_policy: AckPolicy.Explicit,
      }),
    ).rejects.toThrow(/permissions violation/i);
    expect(await streamMessageCount(jsm, 'PROCUREMENT')).toBe(before);
  });

  it('lets inventory bind its durable consumer on PROCUREMENT, pull, ack and dead-letter', async () => {
    const procurement = await connectAs('procurement');
    const inventory = await connectAs('inventory');
    const inventoryJsm = await jetstreamManager(inventory);
    await ensureContextStream(inventoryJsm, { context: 'inventory', names });
    const [fine, poisoned] = [receipt(), receipt()];
    for (const envelope of [fine, poisoned])
      await publishEvent(
        procurement,
        `fleet.procurement.${envelope.facilityId}.ShipmentUnitsReceived`,
        envelope,
      );

    const logger = new RecordingLogger();
    const consumer = new JetStreamEventConsumer({
      connection: inventory,
      store,
      names,
      name: CONSUMER,
      filterSubject: 'fleet.procurement.*.ShipmentUnitsReceived',
      fetchExpiresMs: 1000,
      logger,
      handler: async (envelope, context) => {
        if (envelope.eventId === poisoned.eventId) throw new PoisonMessageError('no such shipment');
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
      async () => (await effectCounts(store)).byEvent.get(fine.eventId) === 1,
      'the receipt handled',
    );
    await eventually(async () => (await consumer.lag()) === 0, 'nothing left');
    await eventually(async () => {
      const info = await inventoryJsm.consumers.info('PROCUREMENT', CONSUMER);
      return info.num_ack_pending === 0 && info.ack_floor.stream_seq === info.delivered.stream_seq;
    }, 'every message acknowledged');
    const deadLetters = await eventually(async () => {
      const info = await inventoryJsm.streams.info('DEAD_LETTERS');
      return info.state.messages === 1 ? info : undefined;
    }, 'the poisoned receipt dead-lettered');
    expect(deadLetters.state.last_seq).toBe(1);
    expect(logger.text('warn')).not.toMatch(/permission/i);
  });

  it('lets no user read the replies of another, nor use the shared _INBOX', async () => {
    const inventory = await connectAs('inventory');
    const refusals: string[] = [];
    void (async () => {
      for await (const status of inventory.status())
        if (status.type === 'error') refusals.push(String(status.error));
    })();
    for (const subject of ['_INBOX.>', '_INBOX_procurement.>', 'fleet.procurement.>'])
      inventory.subscribe(subject);
    await eventually(() => refusals.length === 3, 'three refused subscriptions');
    expect(refusals.join('\n')).toMatch(/permissions violation for subscription to "_INBOX\.>"/i);
    expect(refusals.join('\n')).toMatch(/permissions violation for subscription to "_INBOX_procurement\.>"/i);
    expect(refusals.join('\n')).toMatch(/permissions violation for subscription to "fleet\.procurement\.>"/i);

    // Without its inbox prefix a service gets no answer: the setting is not optional with these users.
    const withoutPrefix = await connectAs('inventory', passwords.inventory, '_INBOX');
    await expect(jetstreamManager(withoutPrefix)).rejects.toThrow();
  });

  it('lets the operator list and replay dead letters, and nothing more', async () => {
    const operator = await connectAs('operator');
    const deadLetters = new DeadLetterStream(operator, names);
    const [letter] = await deadLetters.list({ consumer: CONSUMER });
    expect(letter?.originalHeaders).toBeDefined();
    expect(letter?.reason).toBe('poison');
    expect(letter?.originalSubject).toMatch(/^fleet\.procurement\.us-tx-01\.ShipmentUnitsReceived$/);
    expect(DeadLetterHeaders.reason).toBe('Fleet-Dead-Letter-Reason');
    // Within the duplicate window the stream drops the replay: kept, but the publish was allowed.
    const outcome = await deadLetters.replay(letter, { inboxRetentionMs: 24 * 3600_000 });
    expect(outcome).toEqual({ outcome: 'kept', why: expect.stringContaining('duplicate window') });

    const jsm = await jetstreamManager(operator);
    await expect(jsm.streams.delete('PROCUREMENT')).rejects.toThrow(/permissions violation/i);
    await expect(jsm.streams.purge('DEAD_LETTERS')).rejects.toThrow(/permissions violation/i);
  });

  it('refuses a wrong password with a line that names the server and the setting, never the password', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const refusal = await connectAs('inventory', wrong).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(NatsUnavailableError);
    const message = (refusal as Error).message;
    expect(message).toBe(
      `NATS at ${server.url} refused the credentials of NATS_USER/NATS_PASSWORD (Authorization Violation): check NATS_USER/NATS_PASSWORD`,
    );
    expect(message).not.toContain(wrong);
    expect(JSON.stringify(refusal)).not.toContain(wrong);

    const inUrl = `nats://inventory:${wrong}@127.0.0.1:${server.port}`;
    const urlRefusal = (await connectNats({ servers: inUrl, name: 'permissions-test-url' }).catch(
      (error: unknown) => error,
    )) as Error;
    expect(urlRefusal.message).toBe(
      `NATS at nats://***@127.0.0.1:${server.port} refused the credentials of NATS_URL (Authorization Violation): check NATS_URL`,
    );
    expect(urlRefusal.message).not.toContain(wrong);

    const anonymous = (await connectNats({ servers: server.url, name: 'permissions-test-none' }).catch(
      (error: unknown) => error,
    )) as Error;
    expect(anonymous.message).toMatch(/^NATS at nats:\/\/127\.0\.0\.1:\d+ requires credentials \(/);
  });

  it('still takes the credentials inside NATS_URL (which the client itself would ignore)', async () => {
    const connection = await connectNats({
      servers: `nats://inventory:${encodeURIComponent(passwords.inventory)}@127.0.0.1:${server.port}`,
      name: 'permissions-test-url',
    });
    open.push(connection);
    expect(connection.info?.jetstream).toBe(true);
  });
});
