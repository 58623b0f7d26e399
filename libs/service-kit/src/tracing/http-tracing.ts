import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { QUIET_PATHS } from '../http/quiet-paths';

const tracer = trace.getTracer('@fleet/service-kit');

const headerGetter: TextMapGetter<IncomingHttpHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key],
};

const traces = new WeakMap<FastifyRequest, Span>();

/**
 * A server span per request, `<METHOD> <route>` (the route's pattern, never the raw URL: one name per
 * route, not one per rig id), child of the caller's `traceparent` when it sends one. The span is the
 * active one while the route's handler runs, so the appends it makes are its children and store its
 * trace. Health probes and metric scrapes are not traced. Without an SDK the spans are no-ops.
 */
export function traceHttpRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (QUIET_PATHS.test(request.url)) return done();
    const route = request.routeOptions.url;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers, headerGetter);
    const span = tracer.startSpan(
      route === undefined ? request.method : `${request.method} ${route}`,
      { kind: SpanKind.SERVER },
      parent,
    );
    if (span.isRecording())
      span.setAttributes({
        [ATTR_HTTP_REQUEST_METHOD]: request.method,
        [ATTR_URL_PATH]: request.url.split('?', 1)[0],
        ...(route === undefined ? {} : { [ATTR_HTTP_ROUTE]: route }),
        'fleet.correlation_id': request.id,
      });
    traces.set(request, span);
    // The rest of the request (body, Nest's guards and interceptors, the handler) runs from this
    // `done`, and AsyncLocalStorage carries the span through it (a body of many chunks included).
    context.with(trace.setSpan(parent, span), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = traces.get(request);
    if (span) {
      traces.delete(request);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      // A 4xx is the caller's mistake, not the server's: only 5xx mark the span as failed.
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    const span = traces.get(request);
    if (span) {
      traces.delete(request);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection' });
      span.end();
    }
    done();
  });
}

/** Records an error the request is answered with 5xx for on its span (the stack goes to the log too). */
export function recordHttpError(request: FastifyRequest, error: unknown): void {
  const span = traces.get(request);
  if (!span?.isRecording()) return;
  span.recordException(error instanceof Error ? error : String(error));
}
