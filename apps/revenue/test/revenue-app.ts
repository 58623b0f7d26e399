import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventEnvelope } from '@fleet/contracts';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@fleet/event-sourcing/testing';
import { deleteMessagingNamespace, encodeEnvelope, envelopeHeaders, MessagingNames } from '@fleet/messaging';
import { createServiceApp } from '@fleet/service-kit';
import type { InjectOptions, Response } from 'light-my-request';
import { AppModule } from '../src/app.module';

export const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

export const KEYS = {
  admin: 'admin-key-revenue-test-0001',
  operations: 'operations-key-revenue-test-0001',
  procurement: 'procurement-key-revenue-test-0001',
  finance: 'finance-key-revenue-test-0001',
  reports: 'reports-key-revenue-test-0001',
} as const;
export type TestRole = keyof typeof KEYS;

export interface CallOptions {
  /** The role whose key is sent; `null` sends none. Default finance. */
  readonly as?: TestRole | null;
  /** JSON, unless bytes, or a string given with a content-type header: those are sent as they are. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface RevenueApp {
  readonly app: NestFastifyApplication;
  readonly names: MessagingNames;
  readonly nats: NatsConnection;
  call(method: InjectOptions['method'], url: string, options?: CallOptions): Promise<Response>;
  /**
   * Publishes an envelope to the (namespaced) power stream as power's relay would. `msgId` other
   * than the event id gets past JetStream's de-duplication: a redelivery only the inbox can catch.
   */
  publishPowerEvent(envelope: EventEnvelope, msgId?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The revenue service as `main.ts` builds it, on a fresh database of the given driver and in a
 * NATS namespace of its own; driven with `app.inject`.
 */
export async function startRevenue(driver: TestDriver): Promise<RevenueApp> {
  const names = MessagingNames.isolated('rev');
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-revenue-'));
  let database: TestDatabase | undefined;
  let nats: NatsConnection | undefined;
  let app: NestFastifyApplication | undefined;
  const cleanUp = async () => {
    if (app) await app.close();
    await database?.dispose();
    if (nats) {
      await deleteMessagingNamespace(await jetstreamManager(nats), names);
      await nats.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    nats = await connect({ servers: NATS_URL });
    if (driver === 'postgres') database = await createTestDatabase('postgres');
    app = await createServiceApp({
      service: 'revenue',
      module: AppModule,
      config: {
        NATS_URL,
        DATA_DIR: dataDir,
        DATABASE_URL: database?.url,
        FLEET_API_KEYS: Object.entries(KEYS)
          .map(([role, key]) => `${role}:${key}`)
          .join(','),
        FLEET_NATS_NAMESPACE: names.namespace,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
      },
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const started = app;
  const connection = nats;
  return {
    app: started,
    names,
    nats: connection,
    call(method, url, options = {}) {
      const role = options.as === undefined ? 'finance' : options.as;
      const headers: Record<string, string> = { ...(role ? { authorization: `Bearer ${KEYS[role]}` } : {}) };
      let payload: string | Buffer | undefined;
      if (Buffer.isBuffer(options.body)) payload = options.body;
      else if (options.body !== undefined) {
        const raw = typeof options.body === 'string' && options.headers?.['content-type'] !== undefined;
        payload = raw ? (options.body as string) : JSON.stringify(options.body);
        if (!raw) headers['content-type'] = 'application/json';
      }
      return started.inject({
        method,
        url,
        headers: { ...headers, ...options.headers },
        ...(payload === undefined ? {} : { payload }),
      });
    },
    async publishPowerEvent(envelope, msgId = envelope.eventId) {
      await jetstream(connection).publish(
        names.subjectOf('power', envelope.facilityId, envelope.type),
        encodeEnvelope(envelope),
        { msgID: msgId, headers: envelopeHeaders(envelope) },
      );
    },
    close: cleanUp,
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
