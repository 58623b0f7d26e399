import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { INVENTORY_EVENTS, schemaVersionsOf, type EventEnvelope } from '@fleet/contracts';
import { createEventStore, type EventStore } from '@fleet/event-sourcing';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '@fleet/event-sourcing/testing';
import {
  connectNats,
  DeadLetterHeaders,
  deleteMessagingNamespace,
  encodeEnvelope,
  ensureContextStream,
  ensureDeadLetterStream,
  envelopeHeaders,
  JetStreamEventConsumer,
  messagingMigrations,
  MessagingNames,
} from '@fleet/messaging';
import { INVENTORY_MIGRATIONS } from '../../../migrations';
import { receiptEnvelope } from '../../../../test/receipt-envelope';
import { rigIdOf, rigStreamId } from '../../domain/rig-id';
import { RigEntity } from '../../read-model/rig.entity';
import { RigSlotEntity } from '../../read-model/rig-slot.entity';
import { RigSlotsProjection } from '../../read-model/rig-slots.projection';
import { RigsProjection } from '../../read-model/rigs.projection';
import { RigsReadModel } from '../../read-model/rigs.read-model';
import { registerReceivedRigsInRun } from './register-received-rigs';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const CONSUMER = 'inventory-ShipmentUnitsReceived';
const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The receipt consumer's batch path over real JetStream: chunks delivered together register in one
 * run, and the inbox and dead letters keep their guarantees inside and across runs.
 */
describe.each(TEST_DRIVERS)('registering receipt chunks in runs over JetStream on %s', (driver) => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let database: TestDatabase;
  let store: EventStore;
  let names: MessagingNames;
  let readModel: RigsReadModel;
  let running: JetStreamEventConsumer | undefined;
  /** The envelopes of each call the handler got, committed or not. */
  let calls: string[][];

  beforeAll(async () => {
    nc = await connectNats({ servers: NATS_URL, name: `inventory-receipt-runs-${driver}` });
    jsm = await jetstreamManager(nc);
  });
  afterAll(() => nc?.close());

  beforeEach(async () => {
    database = await createTestDatabase(driver, {
      entities: [RigEntity, RigSlotEntity],
      migrations: [...INVENTORY_MIGRATIONS, ...messagingMigrations],
    });
    store = createEventStore(database.dataSource, {
      schemaVersions: schemaVersionsOf(INVENTORY_EVENTS),
      projections: [RigsProjection, RigSlotsProjection],
    });
    readModel = new RigsReadModel(database.dataSource);
    names = MessagingNames.isolated();
    await ensureContextStream(jsm, { context: 'procurement', names });
    await ensureDeadLetterStream(jsm, { names });
    calls = [];
  });

  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await deleteMessagingNamespace(jsm, names);
    await database.dispose();
  });

  async function publish(envelope: EventEnvelope, msgID = envelope.eventId): Promise<void> {
    await jetstream(nc).publish(
      names.subjectOf('procurement', envelope.facilityId, envelope.type),
      encodeEnvelope(envelope),
      { msgID, headers: envelopeHeaders(envelope) },
    );
  }

  async function startConsumer(): Promise<void> {
    running = new JetStreamEventConsumer({
      connection: nc,
      store,
      names,
      name: CONSUMER,
      filterSubject: 'fleet.procurement.*.ShipmentUnitsReceived',
      batchHandler: async (envelopes, context) => {
        calls.push(envelopes.map((envelope) => envelope.eventId));
        await registerReceivedRigsInRun(context.session, envelopes);
      },
      logger: SILENT,
      fetchExpiresMs: 1000,
      retryBackoffMs: [50, 100],
      batchSize: 20,
      // Messages published before the start still arrive one by one: wait for the whole fetch.
      lingerMs: 500,
    });
    await running.start();
  }

  const total = async (facilityId: string) => (await readModel.summary(facilityId)).total;
  const eventsOf = async (serial: string) => (await store.readStream(rigStreamId(rigIdOf(serial)))).events;
  const inboxCount = async () =>
    Number(
      (
        (await database.dataSource.query(
          `SELECT COUNT(*) AS n FROM inbox WHERE consumer = '${CONSUMER}'`,
        )) as {
          n: number | string;
        }[]
      )[0].n,
    );
  async function deadLetterIds(): Promise<string[]> {
    const info = await jsm.streams.info(names.deadLetterStream);
    const ids: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const message = await jsm.streams.getMessage(names.deadLetterStream, { seq });
      const id = message?.header?.get(DeadLetterHeaders.originalMsgId);
      if (id) ids.push(id);
    }
    return ids;
  }

  it('registers the chunks at hand in one run, each rig once and traced to its chunk, a chunk delivered twice within or across runs once', async () => {
    const facilityId = 'tx-runs';
    const chunks = [0, 1, 2].map((part) =>
      receiptEnvelope(200, { facilityId, prefix: 'RUN', first: part * 200 }),
    );
    for (const chunk of chunks) await publish(chunk);
    // The first chunk again under another message id (the server's de-dup does not stop it): in
    // the same fetch, so within the run.
    await publish(chunks[0], randomUUID());

    await startConsumer();
    await eventually(async () => ((await total(facilityId)) === 600 ? true : undefined), '600 rigs');
    await eventually(async () => ((await inboxCount()) === 3 ? true : undefined), '3 inbox rows');
    // Delivered before the consumer started: one run of the three chunks, the repeat claimed out.
    expect(calls).toContainEqual(chunks.map((chunk) => chunk.eventId));

    // A later delivery of the second chunk: a run of its own, after the first committed.
    await publish(chunks[1], randomUUID());
    const marker = receiptEnvelope(1, { facilityId, prefix: 'RUN-MARK' });
    await publish(marker);
    await eventually(async () => ((await total(facilityId)) === 601 ? true : undefined), 'the marker rig');

    expect(await inboxCount()).toBe(4);
    expect(calls.flat().filter((id) => id === chunks[1].eventId)).toHaveLength(1);
    const [registered] = await eventsOf('RUN-000250');
    expect(await eventsOf('RUN-000250')).toHaveLength(1);
    expect(registered.metadata).toMatchObject({
      causationId: chunks[1].eventId,
      correlationId: chunks[1].correlationId,
    });
    expect((await eventsOf('RUN-000450'))[0].metadata.causationId).toBe(chunks[2].eventId);
    expect(await deadLetterIds()).toEqual([]);
  });

  it('dead-letters an unreadable chunk inside a run and registers the others once', async () => {
    const facilityId = 'tx-poison-run';
    const good = [0, 1].map((part) =>
      receiptEnvelope(100, { facilityId, prefix: 'PRUN', first: part * 100 }),
    );
    const broken = receiptEnvelope(1, { facilityId, prefix: 'PRUN-BAD' });
    const poison = {
      ...broken,
      data: { ...broken.data, units: [{ serialNumber: 'P-1', model: 'antminer-x99' }] },
    };
    await publish(good[0]);
    await publish(poison);
    await publish(good[1]);

    await startConsumer();
    const letters = await eventually(async () => {
      const ids = await deadLetterIds();
      return ids.length > 0 ? ids : undefined;
    }, 'a dead letter');
    await eventually(async () => ((await inboxCount()) === 2 ? true : undefined), '2 inbox rows');

    expect(letters).toEqual([poison.eventId]);
    expect(await total(facilityId)).toBe(200);
    expect(await eventsOf('PRUN-000150')).toHaveLength(1);
    // The run of three failed as a whole, then each chunk came on its own.
    expect(calls[0]).toEqual([good[0].eventId, poison.eventId, good[1].eventId]);
    expect(calls).toContainEqual([poison.eventId]);
  });
});
