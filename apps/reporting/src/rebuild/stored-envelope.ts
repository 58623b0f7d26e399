import type { EventEnvelope } from '@fleet/contracts';

const decoder = new TextDecoder('utf-8', { fatal: true });

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * A message of a context stream read back by a rebuild, as an envelope, or undefined when it is not
 * one. Lighter than the live consumers' `decodeEnvelope` (a full zod check of the envelope, most of
 * a rebuild's time): the owner's relay wrote these messages and the live consumer checked each when
 * it arrived. What the folds read is still checked: the fields below here, the data against its
 * contract in `reportEventOf`.
 */
export function storedEnvelopeOf(data: Uint8Array): EventEnvelope | undefined {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const envelope = json as Partial<Record<keyof EventEnvelope, unknown>>;
  const complete =
    isText(envelope.eventId) &&
    isText(envelope.type) &&
    isText(envelope.facilityId) &&
    isText(envelope.occurredAt) &&
    typeof envelope.position === 'string' &&
    /^\d+$/.test(envelope.position) &&
    'data' in envelope;
  return complete ? (json as EventEnvelope) : undefined;
}
