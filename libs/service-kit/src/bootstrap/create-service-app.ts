import { hostname } from 'node:os';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { connectNats } from '@fleet/messaging';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { loadFleetConfig, type FleetConfig, type FleetEnv } from '../config/fleet-config';
import { answerFrameworkError } from '../errors/framework-error.handler';
import { bodyLimitsOf } from '../http/body-limits';
import { correlationIdOf } from '../http/correlation-id';
import { FleetMetrics } from '../metrics/fleet-metrics';
import { MessagingLifecycle } from '../module/messaging.lifecycle';
import { setupOpenApi } from '../openapi/setup-openapi';
import type { Tracing } from '../tracing/start-tracing';
import { configureHttp } from './configure-http';
import { FleetRuntimeModule } from './fleet-runtime.module';

export type ServiceModule = Type<unknown> | DynamicModule;

export interface ServiceAppOptions {
  /** Must equal the `service` given to `FleetServiceModule.forRoot`. */
  readonly service: string;
  /** The service's root module; it imports `FleetServiceModule.forRoot(...)`. */
  readonly module: ServiceModule;
  /** The port when `PORT` is not set; tests that listen use `app.listen(0)`. Default 0. */
  readonly defaultPort?: number;
  /** Settings that take precedence over the environment, e.g. `{ DATA_DIR, FLEET_API_KEYS }`. */
  readonly config?: FleetEnv;
  /**
   * Where the JSON log lines go (a test that checks them); default stdout. pino keeps one root
   * logger per process: the first app created in a process decides.
   */
  readonly logDestination?: DestinationStream;
}

const NATS_CONNECT_TIMEOUT_MS = 3000;

/**
 * The service as a test wants it: configured, initialised, consumers running, not listening.
 * Drive it with `app.inject(...)` (or `listen(0)`); `app.close()` shuts it down as a signal would.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<NestFastifyApplication> {
  const { config } = loadFleetConfig({
    service: options.service,
    defaultPort: options.defaultPort ?? 0,
    env: { ...process.env, ...options.config },
  });
  return createFleetApp(config, options.module, options.logDestination);
}

/**
 * Connects NATS first (to fail fast with one clear line), then builds and initialises the app.
 * `tracing`, the SDK `bootstrapService` started, is shut down last when the app closes.
 */
export async function createFleetApp(
  config: FleetConfig,
  module: ServiceModule,
  logDestination?: DestinationStream,
  tracing?: Tracing,
): Promise<NestFastifyApplication> {
  const nats = await connectNats({
    servers: config.nats.servers,
    security: config.nats.security,
    name: `${config.service}@${hostname()}:${process.pid}`,
    timeoutMs: NATS_CONNECT_TIMEOUT_MS,
  });
  let app: NestFastifyApplication | undefined;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      { imports: [FleetRuntimeModule.of(config, nats, logDestination, tracing), module] },
      new FastifyAdapter({
        // Large-body routes set their own (`@Route({ largeBody: true })`).
        bodyLimit: bodyLimitsOf(config).ordinary,
        genReqId: correlationIdOf,
        requestIdHeader: false,
        frameworkErrors: answerFrameworkError,
      }),
      // No parsers of Nest's own: `configureHttp` registers JSON and CSV, and Fleet's APIs take
      // nothing else (Nest's would also read form bodies, where a route ignores what it cannot use).
      { bufferLogs: true, abortOnError: false, return503OnClosing: true, bodyParser: false },
    );
    app.useLogger(app.get(Logger));
    if (config.clock.mode === 'controlled')
      app
        .get(Logger)
        .warn(
          `FLEET_CLOCK=controlled: business time starts at ${(config.clock.start ?? new Date()).toISOString()} and PUT /admin/clock moves it; for tests only, never in production`,
          'BusinessClock',
        );
    configureHttp(app, config, app.get(FleetMetrics), await app.resolve(PinoLogger));
    setupOpenApi(app, config);
    app.get(MessagingLifecycle).connectTransport(app);
    await app.init();
    await app.startAllMicroservices();
    return app;
  } catch (error) {
    // Whatever started must stop, or the process (or the test) hangs on open handles.
    if (app) await app.close().catch(() => undefined);
    if (!nats.isClosed()) await nats.close();
    throw error;
  }
}
