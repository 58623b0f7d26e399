import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { EventMetadata } from '../event';
import type { StreamAppend } from '../event-store';
import { withActiveTraceContext } from './trace-context';

const tracer = trace.getTracer('@fleet/event-sourcing');

/** A span lists at most this many stream ids: a receipt appends to a thousand rig streams at once. */
const MAX_STREAM_IDS = 16;

/**
 * Runs an append inside a `<streamType> append` span (internal: the database statements are its
 * work), with the span's trace context written into the metadata the events are stored with.
 * Without a registered SDK the tracer is the API's no-op one: no span is recorded and the metadata
 * is passed on as it came.
 */
export function tracedAppend<T>(
  store: 'sqlite' | 'postgres',
  appends: readonly StreamAppend[],
  metadata: EventMetadata,
  append: (metadata: EventMetadata, appends: readonly StreamAppend[]) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    `${[...new Set(appends.map((one) => one.streamType))].join(',')} append`,
    { kind: SpanKind.INTERNAL },
    async (span) => {
      // Counted only for a span that records them: with tracing off this costs nothing per append.
      if (span.isRecording()) span.setAttributes(appendAttributes(store, appends));
      try {
        return await append(withActiveTraceContext(metadata), withOwnMetadataTraced(appends));
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : undefined,
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * The appends whose events carry metadata of their own, with the active trace context written into
 * it too; each distinct metadata object once, so appends that shared one still share one.
 */
function withOwnMetadataTraced(appends: readonly StreamAppend[]): readonly StreamAppend[] {
  if (!appends.some((one) => one.metadata !== undefined)) return appends;
  const traced = new Map<EventMetadata, EventMetadata>();
  return appends.map((one) => {
    if (one.metadata === undefined) return one;
    let metadata = traced.get(one.metadata);
    if (metadata === undefined) {
      metadata = withActiveTraceContext(one.metadata);
      traced.set(one.metadata, metadata);
    }
    return metadata === one.metadata ? one : { ...one, metadata };
  });
}

function appendAttributes(store: 'sqlite' | 'postgres', appends: readonly StreamAppend[]): Attributes {
  const types = new Set<string>();
  let events = 0;
  for (const one of appends) {
    events += one.events.length;
    for (const event of one.events) types.add(event.type);
  }
  return {
    'db.system.name': store === 'postgres' ? 'postgresql' : 'sqlite',
    'fleet.event_store.kind': store,
    'fleet.stream.count': appends.length,
    'fleet.stream.ids': appends.slice(0, MAX_STREAM_IDS).map((one) => one.streamId),
    'fleet.event.count': events,
    'fleet.event.types': [...types],
  };
}
