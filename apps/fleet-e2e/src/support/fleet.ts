import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { freePort } from './free-port';
import { ServiceProcess } from './service-process';

export type Driver = 'sqlite' | 'postgres';

export const API_KEYS = {
  admin: 'e2e-admin-key-0123456789',
  procurement: 'e2e-procurement-key-0123456789',
  operations: 'e2e-operations-key-0123456789',
  reports: 'e2e-reports-key-0123456789',
} as const;

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const adminDatabaseUrl = process.env.FLEET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface HttpResult<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/**
 * Procurement, inventory and power as separate processes on one unique NATS namespace, a fresh data
 * directory and (for PostgreSQL) a fresh database: the whole saga, isolated from every other test.
 */
export class Fleet {
  /** Services started after the first three (`startService`), stopped with them. */
  private readonly others: ServiceProcess[] = [];

  private constructor(
    readonly driver: Driver,
    readonly namespace: string,
    readonly dataDir: string,
    readonly databaseName: string | undefined,
    readonly procurement: ServiceProcess,
    readonly inventory: ServiceProcess,
    readonly power: ServiceProcess,
    private readonly env: Record<string, string>,
  ) {}

  /** `settings` go to both services on top of the run's own (e.g. `OTEL_*`). */
  static async start(driver: Driver, settings: Record<string, string> = {}): Promise<Fleet> {
    const suffix = randomBytes(4).toString('hex');
    const namespace = `e2e_${suffix}`;
    const dataDir = mkdtempSync(path.join(tmpdir(), `fleet-e2e-${suffix}-`));
    let databaseName: string | undefined;
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      NATS_URL: natsUrl,
      DATA_DIR: dataDir,
      FLEET_NATS_NAMESPACE: namespace,
      FLEET_API_KEYS: Object.entries(API_KEYS)
        .map(([role, key]) => `${role}:${key}`)
        .join(','),
      LOG_LEVEL: 'warn',
      // A message in flight when a service is killed comes back after this; the default 30 s
      // would only slow the crash tests down.
      NATS_ACK_WAIT_MS: '10000',
      ...settings,
    };
    if (driver === 'postgres') {
      databaseName = `fleet_e2e_${suffix}`;
      await withAdminClient((client) => client.query(`CREATE DATABASE ${databaseName}`));
      const url = new URL(adminDatabaseUrl);
      url.pathname = `/${databaseName}`;
      env['DATABASE_URL'] = url.toString();
    }
    const procurement = new ServiceProcess({ name: 'procurement', port: await freePort(), env });
    const inventory = new ServiceProcess({ name: 'inventory', port: await freePort(), env });
    const power = new ServiceProcess({ name: 'power', port: await freePort(), env });
    const fleet = new Fleet(driver, namespace, dataDir, databaseName, procurement, inventory, power, env);
    try {
      await procurement.start();
      await inventory.start();
      await power.start();
    } catch (error) {
      await fleet.dispose();
      throw error;
    }
    return fleet;
  }

  /** Starts one more service on this fleet's namespace, data directory and database. */
  async startService(
    name: 'revenue' | 'reporting',
    settings: Record<string, string> = {},
  ): Promise<ServiceProcess> {
    const service = new ServiceProcess({ name, port: await freePort(), env: { ...this.env, ...settings } });
    this.others.push(service);
    await service.start();
    return service;
  }

  async dispose(): Promise<void> {
    await Promise.all(
      [this.procurement, this.inventory, this.power, ...this.others].map((service) => service.stop()),
    );
    await deleteNamespaceStreams(this.namespace);
    if (this.databaseName) {
      const name = this.databaseName;
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export async function call<T = unknown>(
  service: ServiceProcess,
  method: string,
  url: string,
  body?: unknown,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? API_KEYS.admin}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${service.baseUrl}${url}`, {
    method,
    headers: { ...headers, ...options.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: response.headers,
  };
}

/** Polls until `probe` returns a value, or fails with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Streams of this run carry the namespace in their name; delete them all. */
export async function deleteNamespaceStreams(namespace: string): Promise<void> {
  const nc = await connect({ servers: natsUrl, timeout: 3000 });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const info of jsm.streams.list()) {
      if (info.config.name.toLowerCase().includes(namespace.toLowerCase())) names.push(info.config.name);
    }
    for (const name of names) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}
