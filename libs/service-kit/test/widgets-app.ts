import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@fleet/event-sourcing/testing';
import { MessagingNames, deleteMessagingNamespace } from '@fleet/messaging';
import { createServiceApp, type FleetEnv } from '../src';
import { SERVICE, WidgetsModule } from './widgets.module';

export const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
export const ADMIN_KEY = 'admin-key-0123456789abcdef';

/** What `/health/ready` answers (Terminus): each check's status and details, by check. */
export interface Readiness {
  readonly status: string;
  readonly info?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly error?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The widgets service on a database and a NATS namespace of its own, and how to dispose of all. */
export interface WidgetsApp {
  readonly app: NestFastifyApplication;
  readonly names: MessagingNames;
  readonly database: TestDatabase | undefined;
  ready(): Promise<{ readonly statusCode: number; readonly body: Readiness }>;
  /** Polls `/health/ready` until it answers `statusCode`; returns that answer's body. */
  readyWith(statusCode: number, what: string): Promise<Readiness>;
  /** `/metrics`, as Prometheus text. */
  scrape(): Promise<string>;
  /** `POST /widgets` as admin, which must answer 201. */
  createWidget(name?: string): Promise<void>;
  /** Closes the app (unless the test already has), drops its database and deletes its streams. */
  close(options?: { appClosed?: boolean }): Promise<void>;
}

export async function startWidgetsApp(driver: TestDriver, config: FleetEnv = {}): Promise<WidgetsApp> {
  const names = MessagingNames.isolated('kit');
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-kit-'));
  const database = driver === 'postgres' ? await createTestDatabase('postgres') : undefined;
  const app = await createServiceApp({
    service: SERVICE,
    module: WidgetsModule,
    config: {
      NATS_URL,
      DATA_DIR: dataDir,
      DATABASE_URL: database?.url,
      FLEET_API_KEYS: `admin:${ADMIN_KEY}`,
      FLEET_NATS_NAMESPACE: names.namespace,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      ...config,
    },
  });
  const ready = async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    return { statusCode: response.statusCode, body: response.json<Readiness>() };
  };
  return {
    app,
    names,
    database,
    ready,
    readyWith: (statusCode, what) =>
      waitFor(async () => {
        const answer = await ready();
        return answer.statusCode === statusCode ? answer.body : undefined;
      }, what),
    scrape: async () => (await app.inject({ method: 'GET', url: '/metrics' })).body,
    async createWidget(name = 'w') {
      const response = await app.inject({
        method: 'POST',
        url: '/widgets',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ facilityId: 'site-1', name }),
      });
      if (response.statusCode !== 201)
        throw new Error(`POST /widgets answered ${response.statusCode}: ${response.body}`);
    },
    async close({ appClosed = false } = {}) {
      if (!appClosed) await app.close();
      await database?.dispose();
      await deleteNamespace(names);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Deletes a test's streams (and their consumers) from the shared NATS server. */
export async function deleteNamespace(names: MessagingNames): Promise<void> {
  const nats = await connect({ servers: NATS_URL });
  try {
    await deleteMessagingNamespace(await jetstreamManager(nats), names);
  } finally {
    await nats.close();
  }
}

/** A sample's value in Prometheus text, e.g. `metricValue(text, 'fleet_consumer_stalled', { consumer })`. */
export function metricValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => present.includes(`${key}="${value}"`)))
      return Number(match[3]);
  }
  return undefined;
}

/** Polls until `probe` gives a value; no assertion on how long that took. */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
