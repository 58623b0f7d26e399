import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FleetConfig } from '../config/fleet-config';
import { CORRELATION_ID_HEADER } from '../http/correlation-id';
import { depthLimitedJsonParser } from '../http/json-body.parser';
import type { FleetMetrics } from '../metrics/fleet-metrics';

/** Fastify-level behaviour that has to be in place before Nest registers its routes. */
export function configureHttp(app: NestFastifyApplication, config: FleetConfig, metrics: FleetMetrics): void {
  const fastify = app.getHttpAdapter().getInstance();

  // Set first, so that every response carries it, errors and unknown routes included.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_ID_HEADER, request.id);
    done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the raw URL: one series per route, not one per rig id.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  // Registered through Nest, so that Nest does not install its own JSON parser over this one.
  app.useBodyParser(
    'application/json',
    { bodyLimit: config.http.bodyLimitBytes },
    depthLimitedJsonParser(fastify),
  );

  // Bulk endpoints (rack placements) accept CSV: handlers get the body as one string.
  fastify.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: config.http.bodyLimitBytes },
    (_request, body, done) => done(null, body),
  );
}
