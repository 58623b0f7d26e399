import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createEventStore } from '@fleet/event-sourcing';
import {
  createTestDatabase,
  TEST_DRIVERS,
  type TestDatabase,
  type TestDriver,
} from '@fleet/event-sourcing/testing';
import {
  deleteMessagingNamespace,
  encodeEnvelope,
  ensureContextStream,
  envelopeHeaders,
  MessagingNames,
  messagingMigrations,
} from '@fleet/messaging';
import { FACILITY, rigInstalled, rigRegistered } from '../report-events';
import { waitFor } from '../reporting-app';
import { CreateInstallsPerRack1800000000000, installsPerRackConsumer } from './installs-per-rack.consumer';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

describe.each<TestDriver>([...TEST_DRIVERS])(
  'the README’s worked example: a new team’s consumer on %s',
  (driver) => {
    const names = MessagingNames.isolated('team');
    let nats: NatsConnection;
    let database: TestDatabase;

    beforeAll(async () => {
      nats = await connect({ servers: NATS_URL });
      database = await createTestDatabase(driver, {
        migrations: [...messagingMigrations, CreateInstallsPerRack1800000000000],
      });
    });
    afterAll(async () => {
      await deleteMessagingNamespace(await jetstreamManager(nats), names);
      await nats.close();
      await database.dispose();
    });

    it('counts the rigs installed per rack, an event delivered twice once, receiving nothing but its type', async () => {
      await ensureContextStream(await jetstreamManager(nats), { context: 'inventory', names });
      const store = createEventStore(database.dataSource, { schemaVersions: {} });
      const consumer = installsPerRackConsumer({ connection: nats, store, names });
      await consumer.start();
      try {
        const installed = [rigInstalled(1), rigInstalled(2), rigInstalled(3)];
        const js = jetstream(nats);
        for (const [envelope, messageId] of [
          [rigRegistered(1), undefined],
          ...installed.map((envelope) => [envelope, undefined] as const),
          // The same event stored again under another message id: delivered twice, counted once.
          [installed[0], randomUUID()],
        ] as const)
          if (envelope)
            await js.publish(
              names.subjectOf('inventory', envelope.facilityId, envelope.type),
              encodeEnvelope(envelope),
              {
                msgID: messageId ?? envelope.eventId,
                headers: envelopeHeaders(envelope),
              },
            );
        await waitFor(
          async () => ((await consumer.lag()) === 0 ? true : undefined),
          'every install delivered',
        );
        const jsm = await jetstreamManager(nats);
        await waitFor(async () => {
          const info = await jsm.consumers.info(names.streamOf('inventory'), 'analytics-RigInstalled');
          return info.num_ack_pending === 0 && info.delivered.stream_seq === 5 ? info : undefined;
        }, 'every install acknowledged');
        const rows: { facility_id: string; rack: string; installs: number | string }[] =
          await database.dataSource.query('SELECT facility_id, rack, installs FROM installs_per_rack');
        expect(rows.map((row) => [row.facility_id, row.rack, Number(row.installs)])).toEqual([
          [FACILITY, 'A01', 3],
        ]);
      } finally {
        await consumer.stop();
      }
    });
  },
);
