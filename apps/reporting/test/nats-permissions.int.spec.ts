import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { encodeEnvelope, ensureContextStream, envelopeHeaders, MessagingNames } from '@fleet/messaging';
import { startNatsWithFleetUsers, type PrivateNatsServer } from '@fleet/messaging/testing';
import { createServiceApp } from '@fleet/service-kit';
import { AppModule } from '../src/app.module';
import { RebuildRunner } from '../src/rebuild/rebuild-runner';
import { envelopeOf, FACILITY, idOf, NANO } from './report-events';
import { KEYS, waitFor } from './reporting-app';

/**
 * Reporting as deployed: its own NATS user under the shipped permissions (k8s/nats), on a private
 * nats-server. Its durable consumer binds and folds, and a rebuild reads the stream from its start.
 */
describe('reporting under the shipped NATS permissions', () => {
  let server: PrivateNatsServer;
  let procurement: NatsConnection;
  let app: NestFastifyApplication;
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-reporting-perms-'));

  beforeAll(async () => {
    const started = await startNatsWithFleetUsers();
    server = started.server;
    procurement = await connect({
      servers: server.url,
      user: 'procurement',
      pass: started.passwords.procurement,
      inboxPrefix: '_INBOX_procurement',
    });
    await ensureContextStream(await jetstreamManager(procurement), {
      context: 'procurement',
      names: MessagingNames.production,
    });
    app = await createServiceApp({
      service: 'reporting',
      module: AppModule,
      config: {
        NATS_URL: server.url,
        NATS_USER: 'reporting',
        NATS_PASSWORD: started.passwords.reporting,
        NATS_INBOX_PREFIX: '_INBOX_reporting',
        DATA_DIR: dataDir,
        FLEET_API_KEYS: Object.entries(KEYS)
          .map(([role, key]) => `${role}:${key}`)
          .join(','),
        LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
        NODE_ENV: 'test',
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await procurement?.close();
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const procurementReport = async () =>
    (
      await app.inject({
        method: 'GET',
        url: '/reports/procurement',
        headers: { authorization: `Bearer ${KEYS.reports}` },
      })
    ).json<{ pipeline: { orderId: string }[] }>();

  it('binds reporting-procurement, folds procurement’s events, and rebuilds from the stream', async () => {
    for (const n of [1, 2]) {
      const envelope = envelopeOf('PurchaseOrderPlaced', {
        orderId: idOf(n, 3),
        facilityId: FACILITY,
        vendor: 'ASICminer',
        lines: [{ model: NANO, quantity: 10, unitPrice: { amount: '1000', currency: 'USD' } }],
      });
      await jetstream(procurement).publish(
        `fleet.procurement.${FACILITY}.PurchaseOrderPlaced`,
        encodeEnvelope(envelope),
        {
          msgID: envelope.eventId,
          headers: envelopeHeaders(envelope),
        },
      );
    }
    await waitFor(
      async () => ((await procurementReport()).pipeline.length === 2 ? true : undefined),
      'both orders folded',
    );

    // Enough for the server to ask for flow control on the rebuild's push consumer (a few MB).
    const js = jetstream(procurement);
    for (let batch = 0; batch < 10; batch += 1)
      await Promise.all(
        Array.from({ length: 1000 }, (_, index) => {
          const envelope = envelopeOf('PurchaseOrderCancelled', {
            orderId: idOf(1, 3),
            facilityId: FACILITY,
            reason: `r${batch * 1000 + index}`.padEnd(400, '.'),
            cancelledLines: [],
          });
          return js.publish(
            `fleet.procurement.${FACILITY}.PurchaseOrderCancelled`,
            encodeEnvelope(envelope),
            {
              msgID: envelope.eventId,
              headers: envelopeHeaders(envelope),
            },
          );
        }),
      );

    const started = await app.inject({
      method: 'POST',
      url: '/admin/rebuild',
      headers: { authorization: `Bearer ${KEYS.admin}` },
    });
    expect(started.statusCode).toBe(202);
    const result = await app.get(RebuildRunner).settled();
    expect([app.get(RebuildRunner).state?.error ?? null, result?.eventsDone]).toEqual([null, 10_002]);
    expect((await procurementReport()).pipeline.map((line) => line.orderId)).toEqual([
      idOf(1, 3),
      idOf(2, 3),
    ]);
  });
});
