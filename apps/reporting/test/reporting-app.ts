import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BoundedContext, EventEnvelope } from '@fleet/contracts';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@fleet/event-sourcing/testing';
import { deleteMessagingNamespace, encodeEnvelope, envelopeHeaders, MessagingNames } from '@fleet/messaging';
import { createServiceApp } from '@fleet/service-kit';
import type { InjectOptions, Response } from 'light-my-request';
import { AppModule } from '../src/app.module';

export const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

export const KEYS = {
  admin: 'admin-key-reporting-test-0001',
  operations: 'operations-key-reporting-test-0001',
  procurement: 'procurement-key-reporting-test-0001',
  finance: 'finance-key-reporting-test-0001',
  reports: 'reports-key-reporting-test-0001',
} as const;
export type TestRole = keyof typeof KEYS;

export interface CallOptions {
  /** The role whose key is sent; `null` sends none. Default reports. */
  readonly as?: TestRole | null;
  /** JSON, unless bytes, or a string given with a content-type header: those are sent as they are. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface ReportingApp {
  readonly app: NestFastifyApplication;
  readonly names: MessagingNames;
  readonly nats: NatsConnection;
  call(method: InjectOptions['method'], url: string, options?: CallOptions): Promise<Response>;
  /**
   * Publishes an envelope to the (namespaced) stream of its context as the owner's relay would;
   * `messageId` other than the event id stores a second copy (a redelivery the inbox must catch).
   */
  publish(context: BoundedContext, envelope: EventEnvelope, messageId?: string): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** A PostgreSQL database another instance also runs on; the caller disposes of it. */
  readonly sharedDatabase?: TestDatabase;
  /** The NATS namespace of another instance; the caller deletes it. */
  readonly sharedNames?: MessagingNames;
}

/**
 * The reporting service as `main.ts` builds it, on a fresh database of the given driver and in a
 * NATS namespace of its own (or another instance's); driven with `app.inject`.
 */
export async function startReporting(driver: TestDriver, options: StartOptions = {}): Promise<ReportingApp> {
  const names = options.sharedNames ?? MessagingNames.isolated('rpt');
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-reporting-'));
  let database: TestDatabase | undefined;
  let nats: NatsConnection | undefined;
  let app: NestFastifyApplication | undefined;
  const cleanUp = async () => {
    if (app) await app.close();
    if (!options.sharedDatabase) await database?.dispose();
    if (nats) {
      if (!options.sharedNames) await deleteMessagingNamespace(await jetstreamManager(nats), names);
      await nats.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    nats = await connect({ servers: NATS_URL });
    database = options.sharedDatabase;
    if (driver === 'postgres' && !database) database = await createTestDatabase('postgres');
    app = await createServiceApp({
      service: 'reporting',
      module: AppModule,
      config: {
        NATS_URL,
        DATA_DIR: dataDir,
        DATABASE_URL: database?.url,
        FLEET_API_KEYS: Object.entries(KEYS)
          .map(([role, key]) => `${role}:${key}`)
          .join(','),
        FLEET_NATS_NAMESPACE: names.namespace,
        LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
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
      const role = options.as === undefined ? 'reports' : options.as;
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
    async publish(context, envelope, messageId = envelope.eventId) {
      await jetstream(connection).publish(
        names.subjectOf(context, envelope.facilityId, envelope.type),
        encodeEnvelope(envelope),
        { msgID: messageId, headers: envelopeHeaders(envelope) },
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
