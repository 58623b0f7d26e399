import { MsgHdrsImpl } from '@nats-io/transport-node';
import { EventEnvelope, FleetHeaders } from '@fleet/contracts';
import type { RecordedEvent } from '@fleet/event-sourcing';
import { appendKnownHeader } from './known-headers';

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
export function envelopeHeaders(envelope: EventEnvelope): MsgHdrsImpl {
  const result = new MsgHdrsImpl();
  appendKnownHeader(result, FleetHeaders.eventType, envelope.type);
  appendKnownHeader(result, FleetHeaders.schemaVersion, String(envelope.schemaVersion));
  appendKnownHeader(result, FleetHeaders.correlationId, envelope.correlationId);
  if (envelope.causationId) appendKnownHeader(result, FleetHeaders.causationId, envelope.causationId);
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
