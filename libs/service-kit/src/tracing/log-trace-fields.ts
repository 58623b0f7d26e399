import { trace } from '@opentelemetry/api';

/**
 * A pino mixin: every line logged while a span is active carries its `trace_id` and `span_id`, so
 * that a log line leads to its trace and back.
 */
export function traceFieldsOfActiveSpan(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
