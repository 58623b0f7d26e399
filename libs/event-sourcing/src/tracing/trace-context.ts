import {
  context as activeContext,
  propagation,
  ROOT_CONTEXT,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { EventMetadata, TraceContext } from '../event';

const setter: TextMapSetter<{ traceparent?: string; tracestate?: string }> = {
  set(carrier, key, value) {
    if (key === 'traceparent' || key === 'tracestate') carrier[key] = value;
  },
};

const getter: TextMapGetter<TraceContext> = {
  keys: (carrier) => Object.keys(carrier).filter((key) => key === 'traceparent' || key === 'tracestate'),
  get: (carrier, key) =>
    key === 'traceparent' ? carrier.traceparent : key === 'tracestate' ? carrier.tracestate : undefined,
};

/**
 * The metadata with the active trace context (W3C `traceparent`, `tracestate`) written in: stored
 * with the events, it lets the relay, which publishes them later in another async context, continue
 * the trace of the request or message that appended them. Unchanged when tracing is off (no
 * propagator is registered) or no span is active.
 */
export function withActiveTraceContext(metadata: EventMetadata): EventMetadata {
  const carrier: { traceparent?: string; tracestate?: string } = {};
  propagation.inject(activeContext.active(), carrier, setter);
  return carrier.traceparent === undefined ? metadata : { ...metadata, ...carrier };
}

/** The context an event's metadata was appended in, to parent the spans that carry it on. */
export function traceContextOfEvent(metadata: TraceContext): Context {
  return metadata.traceparent === undefined
    ? ROOT_CONTEXT
    : propagation.extract(ROOT_CONTEXT, metadata, getter);
}
