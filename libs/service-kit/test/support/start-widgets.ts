import { mkdtemp, rm } from 'node:fs/promises';
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

export interface WidgetsAppOptions {
  readonly driver: TestDriver;
  /** Names the NATS namespace and the data directory, to tell test files apart. */
  readonly label: string;
  /** Settings besides the database, the data directory, NATS and its namespace. */
  readonly config: FleetEnv;
  readonly logDestination?: DestinationStream;
}

export interface WidgetsApp {
  readonly app: NestFastifyApplication;
  readonly names: MessagingNames;
  /** Closes the app as a signal would; later calls wait for the same close. */
  closeApp(): Promise<void>;
  /** Closes the app (if a test has not), drops the database, the NATS namespace and the data. */
  dispose(): Promise<void>;
}

/**
 * `test/widgets.module.ts` as a service runs it, on a fresh database of the driver (a temporary
 * directory for SQLite), in a NATS namespace of its own; driven with `app.inject`.
 */
export async function startWidgets(options: WidgetsAppOptions): Promise<WidgetsApp> {
  const names = MessagingNames.isolated(options.label);
  const dataDir = await mkdtemp(join(tmpdir(), `fleet-${options.label}-`));
  let database: TestDatabase | undefined;
  let closing: Promise<void> | undefined;
  const removeData = async () => {
    await database?.dispose();
    const nats = await connect({ servers: NATS_URL });
    try {
      await deleteMessagingNamespace(await jetstreamManager(nats), names);
    } finally {
      await nats.close();
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (options.driver === 'postgres') database = await createTestDatabase('postgres');
    const app = await createServiceApp({
      service: SERVICE,
      module: WidgetsModule,
      config: {
        NATS_URL,
        DATA_DIR: dataDir,
        DATABASE_URL: database?.url,
        FLEET_NATS_NAMESPACE: names.namespace,
        ...options.config,
      },
      logDestination: options.logDestination,
    });
    const closeApp = () => (closing ??= app.close());
    return {
      app,
      names,
      closeApp,
      async dispose() {
        await closeApp();
        await removeData();
      },
    };
  } catch (error) {
    await removeData();
    throw error;
  }
}
