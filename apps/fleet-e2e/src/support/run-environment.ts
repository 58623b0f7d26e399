import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';

export type Driver = 'sqlite' | 'postgres';

export const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const adminDatabaseUrl = process.env.FLEET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * What isolates one test run's service processes from every other test: a unique NATS namespace,
 * a fresh data directory and, on PostgreSQL, a fresh database; `env` carries them (and the API
 * keys) to the processes, `dispose` removes all three.
 */
export class RunEnvironment {
  private constructor(
    readonly namespace: string,
    readonly dataDir: string,
    readonly databaseName: string | undefined,
    readonly env: Readonly<Record<string, string>>,
  ) {}

  /** `label` names the data directory; `settings` go on top of the run's own. */
  static async create(
    driver: Driver,
    keys: Readonly<Record<string, string>>,
    label: string,
    settings: Record<string, string> = {},
  ): Promise<RunEnvironment> {
    const suffix = randomBytes(4).toString('hex');
    const namespace = `e2e_${suffix}`;
    const dataDir = mkdtempSync(path.join(tmpdir(), `${label}-${suffix}-`));
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      NATS_URL: natsUrl,
      DATA_DIR: dataDir,
      FLEET_NATS_NAMESPACE: namespace,
      FLEET_API_KEYS: Object.entries(keys)
        .map(([role, key]) => `${role}:${key}`)
        .join(','),
      LOG_LEVEL: 'warn',
      ...settings,
    };
    let databaseName: string | undefined;
    if (driver === 'postgres') {
      databaseName = `fleet_e2e_${suffix}`;
      await withAdminClient((client) => client.query(`CREATE DATABASE ${databaseName}`));
      const url = new URL(adminDatabaseUrl);
      url.pathname = `/${databaseName}`;
      env['DATABASE_URL'] = url.toString();
    }
    return new RunEnvironment(namespace, dataDir, databaseName, env);
  }

  async dispose(): Promise<void> {
    await deleteNamespaceStreams(this.namespace);
    if (this.databaseName) {
      const name = this.databaseName;
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
    rmSync(this.dataDir, { recursive: true, force: true });
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
