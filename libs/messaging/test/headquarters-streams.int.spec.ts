import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventStore } from '@fleet/event-sourcing';
import type { TestDatabase } from '@fleet/event-sourcing/testing';
import { JetStreamEventConsumer } from '../src/consumer/jetstream-event-consumer';
import { DeadLetterStream } from '../src/dead-letters/dead-letter-stream';
import { encodeEnvelope, envelopeHeaders, envelopeOf } from '../src/envelope/envelope-codec';
import { HeadquartersStreams } from '../src/headquarters/headquarters-streams';
import { MessagingNames } from '../src/naming/messaging-names';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { ensureContextStream, ensureDeadLetterStream } from '../src/setup/context-stream';
import { ensureHeadquartersStreams } from '../src/setup/headquarters-stream';
import { PrivateNatsServer } from '../src/testing/private-nats-server';
import {
  appendThings,
  connectForTest,
  effectCounts,
  eventually,
  insertEffectSql,
  messagingTestStore,
  metadata,
  streamMessageCount,
  TestEffects1793000000100,
} from './support/messaging-test-kit';

const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };
const FACILITY = 'us-tx-01';

/**
 * Headquarters and one facility, each a nats-server of the test's own with its JetStream domain,
 * the facility a leaf node of headquarters: headquarters' streams copy the facility's by stream
 * sourcing, and a consumer at headquarters reads the copies.
 */
describe('headquarters streams (two nats-servers, a leaf-node link, SQLite)', () => {
  const names = MessagingNames.isolated('hq');
  const headquarters = new HeadquartersStreams([{ facilityId: FACILITY, domain: FACILITY }], names);
  let hqServer: PrivateNatsServer;
  let facilityServer: PrivateNatsServer;
  let hq: NatsConnection;
  let facility: NatsConnection;
  let hqJsm: JetStreamManager;
  let facilityStore: { database: TestDatabase; store: EventStore };
  let hqStore: { database: TestDatabase; store: EventStore };
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    const leafPort = await freePort();
    hqServer = await PrivateNatsServer.start({
      configFiles: {
        'nats.conf': `jetstream { domain: hq }\nleafnodes { listen: "127.0.0.1:${leafPort}" }\n`,
      },
    });
    facilityServer = await PrivateNatsServer.start({
      configFiles: {
        'nats.conf': [
          `jetstream { domain: ${FACILITY} }`,
          `leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${leafPort}",`,
          `  deny_imports: ["${names.namespace}.fleet.>"], deny_exports: ["${names.namespace}.fleet.>"] } ] }`,
        ].join('\n'),
      },
    });
    hq = await connectForTest('hq', hqServer.url);
    facility = await connectForTest('facility', facilityServer.url);
    hqJsm = await jetstreamManager(hq);
    await ensureContextStream(await jetstreamManager(facility), { context: 'procurement', names });
    await ensureDeadLetterStream(hqJsm, { names });
    facilityStore = await messagingTestStore('sqlite');
    hqStore = await messagingTestStore('sqlite', [TestEffects1793000000100]);
  });

  afterAll(async () => {
    for (const service of running.splice(0).reverse()) await service.stop();
    await hq?.close();
    await facility?.close();
    await facilityStore?.database.dispose();
    await hqStore?.database.dispose();
    await facilityServer?.dispose();
    await hqServer?.dispose();
  });

  it('creates one stream per facility and context, with no subjects and the facility’s stream as its only source, idempotently', async () => {
    const created = await ensureHeadquartersStreams(hqJsm, headquarters);
    expect(created.map((info) => info.config.name)).toEqual([
      names.hqStreamOf('procurement', FACILITY),
      names.hqStreamOf('inventory', FACILITY),
      names.hqStreamOf('power', FACILITY),
      names.hqStreamOf('revenue', FACILITY),
    ]);
    const procurement = created[0].config;
    expect(procurement.subjects ?? []).toEqual([]);
    expect(procurement.sources).toEqual([
      expect.objectContaining({
        name: names.streamOf('procurement'),
        external: expect.objectContaining({ api: `$JS.${FACILITY}.API` }),
      }),
    ]);
    const again = await ensureHeadquartersStreams(hqJsm, headquarters);
    expect(again.map((info) => info.created)).toEqual(created.map((info) => info.created));
  });

  it('copies what the facility’s relay publishes, chained, and a consumer at headquarters handles each event once; a copy carrying another facility’s event is dead-lettered', async () => {
    await ensureHeadquartersStreams(hqJsm, headquarters);
    const relay = new OutboxRelay({
      store: facilityStore.store,
      connection: facility,
      context: 'procurement',
      names,
      logger: SILENT,
    });
    relay.start();
    running.push(relay);
    const events = await appendThings(facilityStore.store, 30, { facilityId: FACILITY });
    const copy = headquarters.streamsOf('procurement')[0].stream;
    await eventually(async () => (await streamMessageCount(hqJsm, copy)) === 30, 'the 30 events copied');

    // The facility's stream takes any facility's subject; headquarters trusts a copy of us-tx-01's
    // stream to carry us-tx-01's events only.
    const forged = envelopeOf({ ...events[0], eventId: randomUUID(), metadata: metadata('de-by-02') });
    await jetstream(facility).publish(
      names.subjectOf('procurement', 'de-by-02', forged.type),
      encodeEnvelope(forged),
      { msgID: forged.eventId, headers: envelopeHeaders(forged) },
    );
    const consumer = new JetStreamEventConsumer({
      connection: hq,
      store: hqStore.store,
      names,
      name: `hq-test-procurement-${FACILITY}`,
      filterSubject: 'fleet.procurement.*.*',
      stream: copy,
      trustedSources: headquarters.trustedSourcesOf(FACILITY),
      handler: async (envelope, context) => {
        await context.session.manager.query(insertEffectSql(hqStore.store.dialect), [
          context.consumer,
          envelope.eventId,
          null,
        ]);
      },
      fetchExpiresMs: 1000,
      logger: SILENT,
    });
    await consumer.start();
    running.push(consumer);

    const deadLetters = new DeadLetterStream(hq, names);
    const [letter] = await eventually(async () => {
      const letters = await deadLetters.list({ consumer: consumer.name });
      return letters.length > 0 ? letters : undefined;
    }, 'the forged copy dead-lettered');
    expect(letter.reason).toBe('untrusted-source');
    expect(letter.error).toMatch(/^an event of facility de-by-02 copied from facility us-tx-01's stream/);
    const counts = await eventually(async () => {
      const effects = await effectCounts(hqStore.store);
      return effects.distinct === 30 ? effects : undefined;
    }, 'the 30 events handled at headquarters');
    expect(counts.total).toBe(30);
    expect([...counts.byEvent.keys()].sort()).toEqual(events.map((event) => event.eventId).sort());
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
