import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const CORRELATION_ID_HEADER = 'x-correlation-id';
/** A caller's id is kept only if it is harmless in logs, headers and event metadata. */
const ACCEPTABLE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const correlationIds = new WeakMap<object, string>();

/**
 * The request's correlation id: the caller's `X-Correlation-Id`, or a new uuid. Fastify (as its
 * request id) and pino-http both ask for it; remembering it per raw request gives both the same one.
 */
export function correlationIdOf(raw: { readonly headers: IncomingHttpHeaders }): string {
  let id = correlationIds.get(raw);
  if (id === undefined) {
    const header = raw.headers[CORRELATION_ID_HEADER];
    id = typeof header === 'string' && ACCEPTABLE_CORRELATION_ID.test(header) ? header : randomUUID();
    correlationIds.set(raw, id);
  }
  return id;
}
