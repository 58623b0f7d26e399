import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@fleet/event-sourcing/testing';
import { connectNats, deleteMessagingNamespace, MessagingNames } from '@fleet/messaging';
import { createServiceApp, type Role } from '@fleet/service-kit';
import { AppModule } from '../../src/app.module';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallOptions {
  /** Whose API key to send; `null` sends none. Default `procurement`. */
  readonly as?: Role | null;
  /** Sent as JSON, or as it is if a string or bytes (with a content-type of `headers`). */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  /** The parsed JSON body (problem documents included). */
  readonly body: unknown;
  readonly text: string;
}

export interface ProcurementTestApp {
  readonly app: NestFastifyApplication;
  readonly names: MessagingNames;
  readonly natsUrl: string;
  /**
   * Every event in the store, committed or not yet visible to `readAll` (whose head waits for
   * older transactions, such as the relay's, to end): the count proves that nothing was appended.
   */
  eventCount(): Promise<number>;
  call(method: Method, url: string, options?: CallOptions): Promise<CallResult>;
  dispose(): Promise<void>;
}

const ROLES: readonly Role[] = ['admin', 'procurement', 'operations', 'finance', 'reports'];

/**
 * The procurement service as `npm start` runs it (real database, real NATS, relay running), in a
 * fresh SQLite directory or PostgreSQL database and a NATS namespace of its own, driven through
 * `app.inject`.
 */
export async function startProcurement(driver: TestDriver): Promise<ProcurementTestApp> {
  const keys = Object.fromEntries(ROLES.map((role) => [role, `${role}-${randomBytes(12).toString('hex')}`]));
  const names = MessagingNames.isolated('proc');
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const dataDir = await mkdtemp(join(tmpdir(), 'fleet-procurement-'));
  let database: TestDatabase | undefined;
  try {
    if (driver === 'postgres') database = await createTestDatabase('postgres');
    const app = await createServiceApp({
      service: 'procurement',
      module: AppModule,
      config: {
        DATA_DIR: dataDir,
        DATABASE_URL: database?.url,
        NATS_URL: natsUrl,
        FLEET_NATS_NAMESPACE: names.namespace,
        FLEET_API_KEYS: ROLES.map((role) => `${role}:${keys[role]}`).join(','),
        LOG_LEVEL: 'silent',
      },
    });
    return {
      app,
      names,
      natsUrl,
      async eventCount() {
        const [row] = await app
          .get(DataSource)
          .query<{ count: number | string }[]>('SELECT COUNT(*) AS count FROM events');
        return Number(row.count);
      },
      async call(method, url, options = {}) {
        const role = options.as === undefined ? 'procurement' : options.as;
        const headers: Record<string, string> = {};
        if (role !== null) headers['authorization'] = `Bearer ${keys[role]}`;
        let payload: string | Buffer | undefined;
        if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) payload = options.body;
        else if (options.body !== undefined) {
          payload = JSON.stringify(options.body);
          headers['content-type'] = 'application/json';
        }
        const response = await app.inject({
          method,
          url,
          headers: { ...headers, ...options.headers },
          payload,
        });
        const text = response.body;
        let body: unknown = undefined;
        try {
          body = text.length > 0 ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        return { status: response.statusCode, headers: response.headers, body, text };
      },
      async dispose() {
        await app.close();
        const nats = await connectNats({ servers: natsUrl, name: 'procurement-test-cleanup' });
        try {
          await deleteMessagingNamespace(await jetstreamManager(nats), names);
        } finally {
          await nats.close();
        }
        await database?.dispose();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database?.dispose();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
