import {
  propagation,
  ROOT_CONTEXT,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';

const setter: TextMapSetter<MsgHdrs> = {
  set: (headers, key, value) => headers.set(key, value),
};

// nats.js answers "" for a header that is not there; the propagator must see it as absent.
const getter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (headers) => (headers ? [...headers.keys()] : []),
  get: (headers, key) => (headers?.has(key) ? headers.get(key) : undefined),
};

/** Writes `context`'s trace (W3C `traceparent`, `tracestate`) into a message's headers; no-op without an SDK. */
export function injectTraceHeaders(context: Context, headers: MsgHdrs): void {
  propagation.inject(context, headers, setter);
}

/** The trace a message's headers carry, to parent its consumer's span; the root context if none. */
export function traceContextOfMessage(headers: MsgHdrs | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers, getter);
}
