import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyAuthorizer } from '../auth/api-key.authorizer';
import { apiKeyHook } from '../auth/api-key.hook';
import type { FleetConfig } from '../config/fleet-config';
import { bodyLimitsOf } from '../http/body-limits';
import { applyIdempotencyToPosts } from '../idempotency/idempotent-routes';
import { CORRELATION_ID_HEADER } from '../http/correlation-id';
import { limitedJsonParser } from '../http/json-body.parser';
import { declareRoutePolicies, routePolicyOf } from '../http/route-policy';
import { refuseUnstorableText } from '../http/storable-text.hook';
import { decodeUtf8Body } from '../http/utf8-body';
import type { PinoLogger } from 'nestjs-pino';
import { logRequests } from '../logging/request-logging';
import type { FleetMetrics } from '../metrics/fleet-metrics';
import { traceHttpRequests } from '../tracing/http-tracing';

/**
 * Fastify-level behaviour that has to be in place before Nest registers its routes. The order of a
 * request: correlation id, API key (`onRequest`, before the body is read), the body within its
 * route's limit, parsed, text the database cannot store refused (`preValidation`), then Nest.
 */
export function configureHttp(
  app: NestFastifyApplication,
  config: FleetConfig,
  metrics: FleetMetrics,
  pino: PinoLogger,
): void {
  const fastify = app.getHttpAdapter().getInstance();
  const limits = bodyLimitsOf(config);

  declareRoutePolicies(app);
  applyIdempotencyToPosts(app);
  // Runs as Nest registers each route: bulk routes take more than the ordinary limit.
  fastify.addHook('onRoute', (route) => {
    if (routePolicyOf(route.config)?.largeBody) route.bodyLimit = limits.large;
  });

  // Set first, so that every response carries it, errors and unknown routes included.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_ID_HEADER, request.id);
    done();
  });
  logRequests(fastify, pino);
  // Before the API key check, so that a refused request is traced too. Off, no hook at all.
  if (config.tracing) traceHttpRequests(fastify);
  fastify.addHook('onRequest', apiKeyHook(app.get(ApiKeyAuthorizer)));
  fastify.addHook('preValidation', refuseUnstorableText);

  fastify.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the raw URL: one series per route, not one per rig id.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  // Registered through Nest, so that Nest does not install its own JSON parser over this one. The
  // limit given to a parser only applies where its route sets none: the ordinary one.
  app.useBodyParser('application/json', { bodyLimit: limits.ordinary }, limitedJsonParser(fastify));

  // Bulk endpoints (rack placements) accept CSV: handlers get the body as one string.
  fastify.addContentTypeParser(
    'text/csv',
    { parseAs: 'buffer', bodyLimit: limits.ordinary },
    // A body that is not UTF-8 throws, which Fastify answers as the problem it is.
    (_request, body: Buffer, done) => done(null, decodeUtf8Body(body)),
  );
}
