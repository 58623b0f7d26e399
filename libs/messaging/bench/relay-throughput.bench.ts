/**
 * Relay publish rate against two same-run baselines on the same server and messages: a raw
 * JetStream loop awaiting each publish, and a raw loop with the relay's window of in-flight
 * publishes (no database). One JSON line per driver. Run:
 *   node --experimental-vm-modules node_modules/jest/bin/jest.js --config libs/messaging/jest.config.cjs \
 *     --testMatch '<rootDir>/bench/*.bench.ts'
 */
import { jetstream, jetstreamManager, type JetStreamManager, type PubAck } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createEventStore } from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { encodeEnvelope, envelopeHeaders, envelopeOf } from '../src/envelope/envelope-codec';
import { messagingMigrations } from '../src/migrations/messaging.migrations';
import { deleteMessagingNamespace } from '../src/naming/delete-namespace';
import { MessagingNames } from '../src/naming/messaging-names';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { ensureContextStream } from '../src/setup/context-stream';
import { appendThings, connectForTest, TEST_EVENT_TYPES } from '../test/support/messaging-test-kit';

const EVENTS = Number(process.env['RELAY_BENCH_EVENTS'] ?? 20_000);
const WINDOW = 256;
const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };

async function freshStream(jsm: JetStreamManager): Promise<MessagingNames> {
  const names = MessagingNames.isolated('bench');
  await ensureContextStream(jsm, { context: 'procurement', names });
  return names;
}

describe.each(TEST_DRIVERS)('relay throughput on %s', (driver) => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const namespaces: MessagingNames[] = [];

  beforeAll(async () => {
    nc = await connectForTest(`bench-${driver}`);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    for (const names of namespaces) await deleteMessagingNamespace(jsm, names);
    await nc.close();
  });

  it(`publishes ${EVENTS} events`, async () => {
    const database = await createTestDatabase(driver, { migrations: messagingMigrations });
    try {
      const store = createEventStore(database.dataSource, { schemaVersions: TEST_EVENT_TYPES });
      await appendThings(store, EVENTS);
      const events = await store.readAll({ limit: EVENTS });
      const messages = events.map((event) => {
        const envelope = envelopeOf(event);
        return { id: event.eventId, data: encodeEnvelope(envelope), headers: envelopeHeaders(envelope) };
      });
      const js = jetstream(nc);

      const awaitEachNames = await freshStream(jsm);
      namespaces.push(awaitEachNames);
      const awaitEachSubject = awaitEachNames.subjectOf('procurement', 'us-tx-01', 'ThingHappened');
      let started = performance.now();
      for (const message of messages)
        await js.publish(awaitEachSubject, message.data, { msgID: message.id, headers: message.headers });
      const awaitEachRate = EVENTS / ((performance.now() - started) / 1000);

      const windowNames = await freshStream(jsm);
      namespaces.push(windowNames);
      const windowSubject = windowNames.subjectOf('procurement', 'us-tx-01', 'ThingHappened');
      started = performance.now();
      const inFlight: Promise<PubAck>[] = [];
      for (const message of messages) {
        inFlight.push(
          js.publish(windowSubject, message.data, { msgID: message.id, headers: message.headers }),
        );
        if (inFlight.length >= WINDOW) await inFlight.shift();
      }
      await Promise.all(inFlight);
      const windowRate = EVENTS / ((performance.now() - started) / 1000);

      const relayNames = await freshStream(jsm);
      namespaces.push(relayNames);
      const relay = new OutboxRelay({
        store,
        connection: nc,
        context: 'procurement',
        names: relayNames,
        restartMarginMs: 0,
        maxInFlight: WINDOW,
        batchSize: 1000,
        logger: SILENT,
      });
      started = performance.now();
      relay.start();
      await relay.caughtUp(120_000);
      const relayRate = EVENTS / ((performance.now() - started) / 1000);
      await relay.stop();
      expect((await jsm.streams.info(relayNames.streamOf('procurement'))).state.messages).toBe(EVENTS);

      // A bare JSON line on stdout (console.log under Jest would add a stack trace).
      process.stdout.write(
        `${JSON.stringify({
          bench: 'relay-publish',
          driver,
          events: EVENTS,
          relayPerSecond: Math.round(relayRate),
          rawWindowedPerSecond: Math.round(windowRate),
          rawAwaitEachPerSecond: Math.round(awaitEachRate),
          relayVsRawWindowed: Number((relayRate / windowRate).toFixed(2)),
          relayVsRawAwaitEach: Number((relayRate / awaitEachRate).toFixed(2)),
        })}\n`,
      );
    } finally {
      await database.dispose();
    }
  }, 300_000);
});
