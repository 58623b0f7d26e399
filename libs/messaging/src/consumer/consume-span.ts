import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { JsMsg } from '@nats-io/jetstream';
import type { ConsumerOutcome } from '../metrics/messaging-metrics';
import { messagingTracer } from '../tracing/messaging-tracer';
import { traceContextOfMessage } from '../tracing/nats-trace-headers';

/**
 * Runs the handling of one delivered message in a consumer span, child of the producer span whose
 * context the message's headers carry: the appends the handler makes, and the events they store,
 * continue the producing service's trace. A no-op span without an SDK.
 */
export function withConsumeSpan(
  consumer: string,
  subject: string,
  message: JsMsg,
  work: () => Promise<void>,
): Promise<void> {
  return messagingTracer.startActiveSpan(
    `process ${subject}`,
    { kind: SpanKind.CONSUMER },
    traceContextOfMessage(message.headers),
    async (span) => {
      if (span.isRecording())
        span.setAttributes({
          'messaging.system': 'nats',
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.destination.name': subject,
          'messaging.consumer.group.name': consumer,
          'fleet.nats.stream': message.info.stream,
          'fleet.nats.stream_sequence': message.info.streamSequence,
          'fleet.nats.redelivery_count': message.info.deliveryCount - 1,
        });
      try {
        await work();
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Marks the active consumer span with how the message ended; a retry or a dead letter is an error
 * of this attempt, with the error that caused it. Reached through the active context because the
 * consumer settles a message in several places, all inside `withConsumeSpan`.
 */
export function markConsumeOutcome(outcome: ConsumerOutcome, error?: unknown): void {
  const span: Span | undefined = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  span.setAttribute('fleet.consumer.outcome', outcome);
  if (error !== undefined) span.recordException(error instanceof Error ? error : String(error));
  if (outcome === 'retried' || outcome === 'dead-lettered')
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : error === undefined ? outcome : String(error),
    });
}

/**
 * Runs a batch handler's call in one consumer span linked to the trace of each message it carries
 * (OpenTelemetry's form for batch processing: a span has one parent, but may link many).
 */
export function withBatchConsumeSpan(
  consumer: string,
  filterSubject: string,
  messages: readonly JsMsg[],
  work: () => Promise<void>,
): Promise<void> {
  const links = messages.flatMap((message) => {
    const context = trace.getSpanContext(traceContextOfMessage(message.headers));
    return context ? [{ context }] : [];
  });
  return messagingTracer.startActiveSpan(
    `process ${filterSubject}`,
    { kind: SpanKind.CONSUMER, links, root: true },
    async (span) => {
      if (span.isRecording())
        span.setAttributes({
          'messaging.system': 'nats',
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.destination.name': filterSubject,
          'messaging.consumer.group.name': consumer,
          'messaging.batch.message_count': messages.length,
        });
      try {
        await work();
      } finally {
        span.end();
      }
    },
  );
}
