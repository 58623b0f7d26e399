import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { FleetConfig } from '../config/fleet-config';
import { traceFieldsOfActiveSpan } from '../tracing/log-trace-fields';

/**
 * JSON logs (one line each) with the service name; inside a request its correlation id, also on
 * every line the request's code logs through Nest's `Logger` (see `logRequests`).
 */
export function loggerParams(config: FleetConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: config.logLevel,
    base: { service: config.service },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    // Only when tracing is on: otherwise no span is ever active and the lookup is wasted per line.
    ...(config.tracing ? { mixin: traceFieldsOfActiveSpan } : {}),
  };
  return {
    pinoHttp: destination ? [options, destination] : options,
    // No middleware: requests are bound and logged by Fastify hooks (`logRequests`), far cheaper.
    forRoutes: [],
  };
}
