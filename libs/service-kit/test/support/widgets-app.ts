import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MessagingNames, deleteMessagingNamespace } from '@fleet/messaging';
import type { DestinationStream } from 'pino';
import { createServiceApp, type FleetEnv } from '../../src';
import { SERVICE, WidgetsModule } from '../widgets.module';

export const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

export interface WidgetsAppOptions {
  /** The test's own streams and subjects. */
  readonly names: MessagingNames;
  /** SQLite lives here (`widgets.sqlite`) unless `databaseUrl` is given. */
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** Every other setting (keys, log level, limits). */
  readonly settings: FleetEnv;
  readonly logDestination?: DestinationStream;
}

/** The widgets service on real NATS, in the test's namespace and database. */
export function createWidgetsApp(options: WidgetsAppOptions): Promise<NestFastifyApplication> {
  return createServiceApp({
    service: SERVICE,
    module: WidgetsModule,
    config: {
      NATS_URL,
      DATA_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl,
      FLEET_NATS_NAMESPACE: options.names.namespace,
      ...options.settings,
    },
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
  });
}

/** Removes the streams a test's apps created. */
export async function deleteTestNamespace(names: MessagingNames): Promise<void> {
  const nats = await connect({ servers: NATS_URL });
  try {
    await deleteMessagingNamespace(await jetstreamManager(nats), names);
  } finally {
    await nats.close();
  }
}
