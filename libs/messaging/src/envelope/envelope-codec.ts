import { headers, type MsgHdrs } from '@nats-io/transport-node';
import { EventEnvelope, FleetHeaders } from '@fleet/contracts';
import type { RecordedEvent } from '@fleet/event-sourcing';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A committed event as it travels: everything a consumer needs to process it idempotently and trace it. */
export function envelopeOf(event: RecordedEvent): EventEnvelope {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    position: event.position.toString(),
    occurredAt: event.metadata.occurredAt,
    facilityId: event.metadata.facilityId,
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    ...(event.metadata.traceparent === undefined ? {} : { traceparent: event.metadata.traceparent }),
    ...(event.metadata.tracestate === undefined ? {} : { tracestate: event.metadata.tracestate }),
    data: event.data,
  };
}

export function encodeEnvelope(envelope: EventEnvelope): Uint8Array {
  return encoder.encode(JSON.stringify(envelope));
}

/** Fleet's headers, so tools can route and trace without parsing the body. `Nats-Msg-Id` is set by the publish. */
export function envelopeHeaders(envelope: EventEnvelope): MsgHdrs {
  const result = headers();
  // `append`, not `set`: the headers are new, and `set` looks for an existing value to replace first.
  result.append(FleetHeaders.eventType, envelope.type);
  result.append(FleetHeaders.schemaVersion, String(envelope.schemaVersion));
  result.append(FleetHeaders.correlationId, envelope.correlationId);
  if (envelope.causationId) result.append(FleetHeaders.causationId, envelope.causationId);
  return result;
}

export type DecodedEnvelope =
  { readonly ok: true; readonly envelope: EventEnvelope } | { readonly ok: false; readonly error: string };

/** Never throws: a message that is not an envelope is a poison message, not a crash. */
export function decodeEnvelope(data: Uint8Array): DecodedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch (error) {
    return { ok: false, error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = EventEnvelope.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      error: `not an event envelope: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ')}`,
    };
  return { ok: true, envelope: parsed.data as EventEnvelope };
}
