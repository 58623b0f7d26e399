import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NatsUnavailableError } from '@fleet/messaging';
import { Logger } from '@nestjs/common';
import { ConfigError } from '../config/config.error';
import { loadFleetConfig, type FleetConfig } from '../config/fleet-config';
import type { LocalApiKeys } from '../config/local-api-keys';
import { DOCS_PATH } from '../openapi/setup-openapi';
import { startTracing } from '../tracing/start-tracing';
import { createFleetApp, type ServiceModule } from './create-service-app';

export interface BootstrapOptions {
  readonly service: string;
  readonly module: ServiceModule;
  /** The port when `PORT` is not set (procurement 3001, inventory 3002, …). */
  readonly defaultPort: number;
}

/**
 * `main.ts` of every service: validated config, tracing (when an `OTEL_*` setting asks for it,
 * registered before anything creates a span), NATS, the app, shutdown on SIGTERM/SIGINT within
 * `SHUTDOWN_TIMEOUT_MS`, then listen. A start-up that cannot succeed (a wrong setting, NATS not
 * reachable) ends the process with one line that says what to do.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<NestFastifyApplication> {
  let app: NestFastifyApplication;
  let config: FleetConfig;
  try {
    const loaded = loadFleetConfig({
      service: options.service,
      defaultPort: options.defaultPort,
      env: process.env,
    });
    config = loaded.config;
    if (loaded.localApiKeys) printLocalApiKeys(options.service, loaded.localApiKeys);
    app = await createFleetApp(config, options.module, undefined, startTracing(config.tracing));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof NatsUnavailableError)
      exit(`${options.service}: ${error.message}`);
    exit(
      `${options.service}: start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }

  // process.exit() after close: pino's destination flushes on exit.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });

  const { port, host } = config.http;
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close().catch(() => undefined);
    exit(
      `${options.service}: cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const logger = new Logger('Bootstrap');
  logger.log(`${options.service} listening on ${await app.getUrl()} (OpenAPI at /${DOCS_PATH})`);
  const { tracing } = config;
  if (tracing) {
    // Without the URL's user and password, should it carry any.
    const { origin, pathname } = new URL(tracing.otlpTracesUrl);
    const targets = tracing.exporters.map((exporter) =>
      exporter === 'otlp' ? `${origin}${pathname}` : exporter,
    );
    logger.log(`tracing as ${tracing.serviceName} to ${targets.join(', ')} (sampler ${tracing.sampler})`);
  }
  return app;
}

function exit(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

function printLocalApiKeys(service: string, local: LocalApiKeys): void {
  const width = Math.max(...local.keys.map(({ role }) => role.length));
  process.stdout.write(
    [
      `${service}: FLEET_API_KEYS is not set; local development keys ${local.created ? 'generated in' : 'read from'} ${local.file}`,
      '(shared by every service started from this directory; set FLEET_API_KEYS to use your own):',
      ...local.keys.map(({ role, key }) => `  ${role.padEnd(width)}  ${key}`),
      '  use: Authorization: Bearer <key>',
      '',
    ].join('\n'),
  );
}
