import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EnergyCostAccrued, FleetHeaders, subjectOf, type EventEnvelope } from '@fleet/contracts';
import { jetstream } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { deleteNamespaceStreams, withAdminClient, type Driver } from './fleet';
import { freePort } from './free-port';
import { ServiceProcess } from './service-process';

export const REVENUE_KEYS = {
  admin: 'e2e-admin-key-0123456789',
  finance: 'e2e-finance-key-0123456789',
  reports: 'e2e-reports-key-0123456789',
} as const;

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const adminDatabaseUrl = process.env.FLEET_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type EnergyDay = Omit<EnergyCostAccrued['data'], 'facilityId'>;

/**
 * Revenue as a process of its own on a unique NATS namespace, data directory and (PostgreSQL)
 * database, with the test standing in for power: it publishes `EnergyCostAccrued` to the
 * namespace's POWER stream as power's relay would.
 */
export class RevenueRun {
  private constructor(
    readonly namespace: string,
    readonly dataDir: string,
    readonly databaseName: string | undefined,
    readonly revenue: ServiceProcess,
    private readonly nats: NatsConnection,
  ) {}

  static async start(driver: Driver): Promise<RevenueRun> {
    const suffix = randomBytes(4).toString('hex');
    const namespace = `e2e_${suffix}`;
    const dataDir = mkdtempSync(path.join(tmpdir(), `fleet-e2e-revenue-${suffix}-`));
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      NATS_URL: natsUrl,
      DATA_DIR: dataDir,
      FLEET_NATS_NAMESPACE: namespace,
      FLEET_API_KEYS: Object.entries(REVENUE_KEYS)
        .map(([role, key]) => `${role}:${key}`)
        .join(','),
      LOG_LEVEL: 'warn',
    };
    let databaseName: string | undefined;
    if (driver === 'postgres') {
      databaseName = `fleet_e2e_${suffix}`;
      await withAdminClient((client) => client.query(`CREATE DATABASE ${databaseName}`));
      const url = new URL(adminDatabaseUrl);
      url.pathname = `/${databaseName}`;
      env['DATABASE_URL'] = url.toString();
    }
    const nats = await connect({ servers: natsUrl, timeout: 3000 });
    const revenue = new ServiceProcess({ name: 'revenue', port: await freePort(), env });
    const run = new RevenueRun(namespace, dataDir, databaseName, revenue, nats);
    try {
      await revenue.start();
    } catch (error) {
      await run.dispose();
      throw error;
    }
    return run;
  }

  /** One facility day's energy cost, as power publishes it. */
  async publishEnergyCost(facilityId: string, day: EnergyDay): Promise<void> {
    const envelope: EventEnvelope = {
      eventId: randomUUID(),
      type: EnergyCostAccrued.type,
      schemaVersion: EnergyCostAccrued.version,
      streamId: `facility-power-${facilityId}`,
      streamVersion: day.revision,
      position: '1',
      occurredAt: new Date().toISOString(),
      facilityId,
      actor: 'service:power',
      correlationId: randomUUID(),
      causationId: null,
      data: EnergyCostAccrued.schema.parse({ facilityId, ...day }),
    };
    const messageHeaders = headers();
    messageHeaders.set(FleetHeaders.eventType, envelope.type);
    messageHeaders.set(FleetHeaders.schemaVersion, String(envelope.schemaVersion));
    messageHeaders.set(FleetHeaders.correlationId, envelope.correlationId);
    await jetstream(this.nats).publish(
      `${this.namespace}.${subjectOf('power', facilityId, envelope.type)}`,
      JSON.stringify(envelope),
      { msgID: envelope.eventId, headers: messageHeaders },
    );
  }

  async dispose(): Promise<void> {
    await this.revenue.stop();
    await this.nats.close();
    await deleteNamespaceStreams(this.namespace);
    if (this.databaseName) {
      const name = this.databaseName;
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
