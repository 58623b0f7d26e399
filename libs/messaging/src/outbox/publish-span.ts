import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { PubAck } from '@nats-io/jetstream';
import { traceContextOfEvent, type RecordedEvent } from '@fleet/event-sourcing';
import { messagingTracer } from '../tracing/messaging-tracer';

/**
 * One producer span per published event, child of the span that appended it (the trace context
 * stored in its metadata), so that every consumer's span hangs under its own event's publish,
 * whichever batch carried it. A span per batch would have one parent for events of many requests
 * and leave consumers only a link to it.
 */
export function startPublishSpan(event: RecordedEvent, subject: string, stream: string): Span {
  const span = messagingTracer.startSpan(
    `publish ${subject}`,
    { kind: SpanKind.PRODUCER },
    traceContextOfEvent(event.metadata),
  );
  if (span.isRecording())
    span.setAttributes({
      'messaging.system': 'nats',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'publish',
      'messaging.destination.name': subject,
      'messaging.message.id': event.eventId,
      'fleet.nats.stream': stream,
      'fleet.event.type': event.type,
      'fleet.event.position': event.position.toString(),
      'fleet.stream.id': event.streamId,
    });
  return span;
}

/** Ends the span when JetStream answers the publish. */
export function endPublishSpanOnAck(span: Span, ack: Promise<PubAck>): void {
  if (!span.isRecording()) return;
  ack.then(
    (answer) => {
      span.setAttributes({
        'fleet.nats.stream_sequence': answer.seq,
        'fleet.nats.duplicate': answer.duplicate,
      });
      span.end();
    },
    (error: unknown) => endPublishSpanWithError(span, error),
  );
}

export function endPublishSpanWithError(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
  span.end();
}
