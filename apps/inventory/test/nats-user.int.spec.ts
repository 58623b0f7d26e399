import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  connectNats,
  encodeEnvelope,
  ensureContextStream,
  envelopeHeaders,
  MessagingNames,
  NatsSecret,
} from '@fleet/messaging';
import {
  startNatsWithFleetUsers,
  type FleetNatsUser,
  type NatsServerWithFleetUsers,
} from '@fleet/messaging/testing';
import { createServiceApp } from '@fleet/service-kit';
import { AppModule } from '../src/app.module';
import { KEYS, waitFor } from './inventory-app';
import { receiptEnvelope } from './receipt-envelope';

/**
 * Inventory as deployed: logged in as its own NATS user, under the permissions k8s/nats ships, on a
 * nats-server of the test's own (production stream names, no namespace).
 */
describe('inventory as its own NATS user (the shipped permissions)', () => {
  let nats: NatsServerWithFleetUsers;
  let dataDir: string;
  let procurement: NatsConnection;
  let inventory: NestFastifyApplication | undefined;
  const open: NatsConnection[] = [];
  /** Every log line the service writes, down to debug. */
  const logLines: string[] = [];

  const connectAs = async (user: FleetNatsUser) => {
    const connection = await connectNats({
      servers: nats.server.url,
      name: `inventory-test-${user}`,
      security: {
        auth: {
          kind: 'user',
          setting: 'NATS_USER/NATS_PASSWORD',
          user,
          password: new NatsSecret(nats.passwords[user]),
        },
        inboxPrefix: `_INBOX_${user}`,
      },
    });
    open.push(connection);
    return connection;
  };

  beforeAll(async () => {
    nats = await startNatsWithFleetUsers();
    dataDir = mkdtempSync(join(tmpdir(), 'fleet-inventory-nats-user-'));
    // Procurement and power own their streams: they have started once before inventory consumes from
    // them (until then inventory's consumers wait, and it is not ready).
    procurement = await connectAs('procurement');
    await ensureContextStream(await jetstreamManager(procurement), { context: 'procurement' });
    await ensureContextStream(await jetstreamManager(await connectAs('power')), { context: 'power' });
    inventory = await createServiceApp({
      service: 'inventory',
      module: AppModule,
      config: {
        NATS_URL: nats.server.url,
        NATS_USER: 'inventory',
        NATS_PASSWORD: nats.passwords.inventory,
        NATS_INBOX_PREFIX: '_INBOX_inventory',
        DATA_DIR: dataDir,
        FLEET_API_KEYS: Object.entries(KEYS)
          .map(([role, key]) => `${role}:${key}`)
          .join(','),
        LOG_LEVEL: 'debug',
        NODE_ENV: 'test',
      },
      logDestination: { write: (line: string) => void logLines.push(line) },
    });
  });

  afterAll(async () => {
    await inventory?.close();
    for (const connection of open) await connection.close();
    await nats?.server.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('is ready, registers the rigs of procurement’s receipt and publishes them on its own stream', async () => {
    const app = inventory as NestFastifyApplication;
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);

    const receipt = receiptEnvelope(3, { facilityId: 'tx-nats-user', prefix: 'NUSER' });
    await jetstream(procurement).publish(
      MessagingNames.production.subjectOf('procurement', receipt.facilityId, receipt.type),
      encodeEnvelope(receipt),
      { msgID: receipt.eventId, headers: envelopeHeaders(receipt) },
    );
    await waitFor(async () => {
      const summary = await app.inject({
        method: 'GET',
        url: '/facilities/tx-nats-user/summary',
        headers: { authorization: `Bearer ${KEYS.reports}` },
      });
      return (summary.json() as { total: number }).total === 3 ? true : undefined;
    }, 'three rigs registered');

    const inventoryJsm = await jetstreamManager(await connectAs('inventory'));
    await waitFor(async () => {
      const info = await inventoryJsm.streams.info('INVENTORY');
      return info.state.messages === 3 ? true : undefined;
    }, 'three RigRegistered events on INVENTORY');
    const consumer = await inventoryJsm.consumers.info('PROCUREMENT', 'inventory-ShipmentUnitsReceived');
    expect(consumer.num_ack_pending).toBe(0);
    expect(consumer.ack_floor.stream_seq).toBe(1);
  });

  it('never shows its NATS password: not in its logs, its readiness or its metrics', async () => {
    const app = inventory as NestFastifyApplication;
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(logLines.length).toBeGreaterThan(0);
    for (const text of [...logLines, ready.body, metrics.body])
      expect(text).not.toContain(nats.passwords.inventory);
  });
});
