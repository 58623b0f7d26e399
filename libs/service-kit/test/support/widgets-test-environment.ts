import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, type TestDatabase, type TestDriver } from '@fleet/event-sourcing/testing';
import { MessagingNames, deleteMessagingNamespace } from '@fleet/messaging';
import type { DestinationStream } from 'pino';
import { createServiceApp, type FleetEnv } from '../../src';
import { SERVICE, WidgetsModule } from '../widgets.module';

export const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/**
 * What a test's widgets apps share and nothing else does: a NATS namespace, a data directory
 * (SQLite's `widgets.sqlite`) and, on PostgreSQL, a database of its own.
 */
export class WidgetsTestEnvironment {
  readonly names: MessagingNames;

  private constructor(
    label: string,
    readonly dataDir: string,
    readonly database: TestDatabase | undefined,
  ) {
    this.names = MessagingNames.isolated(label);
  }

  /** `label` names the namespace and the directory, to tell a leftover's test. */
  static async create(driver: TestDriver, label: string): Promise<WidgetsTestEnvironment> {
    const dataDir = mkdtempSync(join(tmpdir(), `fleet-${label}-`));
    const database = driver === 'postgres' ? await createTestDatabase('postgres') : undefined;
    return new WidgetsTestEnvironment(label, dataDir, database);
  }

  /** A widgets app on real NATS; `settings` adds keys, log level, limits. */
  createApp(settings: FleetEnv, logDestination?: DestinationStream): Promise<NestFastifyApplication> {
    return createServiceApp({
      service: SERVICE,
      module: WidgetsModule,
      config: {
        NATS_URL,
        DATA_DIR: this.dataDir,
        DATABASE_URL: this.database?.url,
        FLEET_NATS_NAMESPACE: this.names.namespace,
        ...settings,
      },
      ...(logDestination ? { logDestination } : {}),
    });
  }

  /** Drops the database, the streams and the directory; close the apps first. */
  async dispose(): Promise<void> {
    await this.database?.dispose();
    const nats = await connect({ servers: NATS_URL });
    try {
      await deleteMessagingNamespace(await jetstreamManager(nats), this.names);
    } finally {
      await nats.close();
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
