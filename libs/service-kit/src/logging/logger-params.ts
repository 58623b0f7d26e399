import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { FleetConfig } from '../config/fleet-config';
import { correlationIdOf } from '../http/correlation-id';
import { QUIET_PATHS } from '../http/quiet-paths';
import { traceFieldsOfActiveSpan } from '../tracing/log-trace-fields';

/**
 * JSON logs (one line each) with the service name, and inside a request its correlation id, also
 * on every line the request's code logs through Nest's `Logger`.
 */
export function loggerParams(config: FleetConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: config.logLevel,
    base: { service: config.service },
    genReqId: (request: IncomingMessage) => correlationIdOf(request),
    // Every line logged while serving the request (the app's too) carries it as `correlationId`.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'correlationId' },
    autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.test(pathOf(request)) },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    // Only when tracing is on: otherwise no span is ever active and the lookup is wasted per line.
    ...(config.tracing ? { mixin: traceFieldsOfActiveSpan } : {}),
  };
  return {
    pinoHttp: destination ? [options, destination] : options,
    // nestjs-pino's default (`{/*splat}`) matches no route under Nest 12's Fastify adapter.
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
  };
}

/** The path as requested: middleware may see `url` with its mount path stripped. */
function pathOf(request: IncomingMessage & { readonly originalUrl?: string }): string {
  return request.originalUrl ?? request.url ?? '';
}
