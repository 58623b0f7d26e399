import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BoundedContext, EventEnvelope } from '@fleet/contracts';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@fleet/event-sourcing/testing';
import { deleteMessagingNamespace, encodeEnvelope, envelopeHeaders, MessagingNames } from '@fleet/messaging';
import type { InjectOptions, Response } from 'light-my-request';
import { createServiceApp } from '../bootstrap/create-service-app';

export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

export const TEST_ROLES = ['admin', 'operations', 'procurement', 'finance', 'reports'] as const;
export type TestRole = (typeof TEST_ROLES)[number];

/** One API key per role for a service's tests: `<role>-key-<service>-test-0001`. */
export function testApiKeys(service: string): Readonly<Record<TestRole, string>> {
  return Object.fromEntries(TEST_ROLES.map((role) => [role, `${role}-key-${service}-test-0001`])) as Record<
    TestRole,
    string
  >;
}

export interface TestCallOptions {
  /** The role whose key is sent; `null` sends none. Default: the app's default role. */
  readonly as?: TestRole | null;
  /** JSON, unless bytes, or a string given with a content-type header: those are sent as they are. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface ServiceTestApp {
  readonly app: NestFastifyApplication;
  readonly names: MessagingNames;
  readonly nats: NatsConnection;
  readonly keys: Readonly<Record<TestRole, string>>;
  call(method: InjectOptions['method'], url: string, options?: TestCallOptions): Promise<Response>;
  /**
   * Publishes an envelope to the (namespaced) stream of its context, as that context's relay would.
   * A `msgId` other than the event id gets past JetStream's de-duplication: a redelivery only the
   * inbox can catch.
   */
  publish(context: BoundedContext, envelope: EventEnvelope, msgId?: string): Promise<void>;
  /** Closes the app, drops its database and deletes its streams (unless shared). */
  close(): Promise<void>;
}

export interface ServiceTestAppOptions {
  readonly service: string;
  readonly module: Type<unknown>;
  readonly driver: TestDriver;
  /** The role `call` sends when none is named. */
  readonly defaultRole: TestRole;
  /** A short prefix of the NATS namespace, e.g. `pwr`. */
  readonly namespacePrefix: string;
  /** A PostgreSQL database another instance also runs on; the caller disposes of it. */
  readonly sharedDatabase?: TestDatabase;
  /** The NATS namespace of another instance; the caller deletes it. */
  readonly sharedNames?: MessagingNames;
  /** Settings on top of the test's own. */
  readonly config?: Readonly<Record<string, string | undefined>>;
}

/**
 * A service as its `main.ts` builds it, on a fresh database of the given driver (or a shared one)
 * and in a NATS namespace of its own (or a shared one); driven with `app.inject`.
 */
export async function startServiceTestApp(options: ServiceTestAppOptions): Promise<ServiceTestApp> {
  const names = options.sharedNames ?? MessagingNames.isolated(options.namespacePrefix);
  const keys = testApiKeys(options.service);
  const dataDir = mkdtempSync(join(tmpdir(), `fleet-${options.service}-`));
  let database: TestDatabase | undefined;
  let nats: NatsConnection | undefined;
  let app: NestFastifyApplication | undefined;
  const close = async () => {
    if (app) await app.close();
    if (!options.sharedDatabase) await database?.dispose();
    if (nats) {
      if (!options.sharedNames) await deleteMessagingNamespace(await jetstreamManager(nats), names);
      await nats.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    nats = await connect({ servers: TEST_NATS_URL });
    database = options.sharedDatabase;
    if (options.driver === 'postgres' && !database) database = await createTestDatabase('postgres');
    app = await createServiceApp({
      service: options.service,
      module: options.module,
      config: {
        NATS_URL: TEST_NATS_URL,
        DATA_DIR: dataDir,
        DATABASE_URL: database?.url,
        FLEET_API_KEYS: Object.entries(keys)
          .map(([role, key]) => `${role}:${key}`)
          .join(','),
        FLEET_NATS_NAMESPACE: names.namespace,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
        ...options.config,
      },
    });
  } catch (error) {
    await close();
    throw error;
  }
  const started = app;
  const connection = nats;
  return {
    app: started,
    names,
    nats: connection,
    keys,
    call(method, url, callOptions = {}) {
      const role = callOptions.as === undefined ? options.defaultRole : callOptions.as;
      const headers: Record<string, string> = role ? { authorization: `Bearer ${keys[role]}` } : {};
      let payload: string | Buffer | undefined;
      if (Buffer.isBuffer(callOptions.body)) payload = callOptions.body;
      else if (callOptions.body !== undefined) {
        const raw =
          typeof callOptions.body === 'string' && callOptions.headers?.['content-type'] !== undefined;
        payload = raw ? (callOptions.body as string) : JSON.stringify(callOptions.body);
        if (!raw) headers['content-type'] = 'application/json';
      }
      return started.inject({
        method,
        url,
        headers: { ...headers, ...callOptions.headers },
        ...(payload === undefined ? {} : { payload }),
      });
    },
    async publish(context, envelope, msgId = envelope.eventId) {
      await jetstream(connection).publish(
        names.subjectOf(context, envelope.facilityId, envelope.type),
        encodeEnvelope(envelope),
        { msgID: msgId, headers: envelopeHeaders(envelope) },
      );
    },
    close,
  };
}

/** Polls `probe` every 50 ms until it returns a value; fails naming `what` after `timeoutMs`. */
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
