import type { MsgHdrs } from '@nats-io/transport-node';
import type { EventEnvelope } from '@fleet/contracts';
import type { TrustedStreamSources } from '../headquarters/trusted-stream-sources';
import type { MessagingNames } from '../naming/messaging-names';
import { subjectMatches } from '../naming/subject-pattern';

/** The header JetStream adds to a message a stream copied in from another stream (`sources`). */
export const STREAM_SOURCE_HEADER = 'Nats-Stream-Source';

/** Where a consumer's messages must come from: its stream, its filter, published there by its owner. */
export interface ExpectedSource {
  /** The stream the durable consumer is bound to (`PROCUREMENT`). */
  readonly stream: string;
  /** The consumer's filter on the wire (`fleet.procurement.*.ShipmentUnitsReceived`). */
  readonly wireFilter: string;
  readonly names: MessagingNames;
  /**
   * Streams whose copies this consumer accepts, and the facility each speaks for (headquarters'
   * streams sourcing the facilities'). None: a copied message is never trusted.
   */
  readonly trustedSources?: TrustedStreamSources;
}

export interface DeliveredMessage {
  readonly subject: string;
  readonly info: { readonly stream: string };
  readonly headers?: MsgHdrs;
}

/**
 * Why a delivered message cannot be trusted to be the event it claims, or undefined when it can.
 * Only the owner of a context may publish to `fleet.<context>.>` (the server's permissions), and a
 * message counts as its event only if it was published to the consumer's own stream on a subject
 * of its filter: not copied in from another stream (stream sourcing keeps the original subject),
 * unless from a trusted source (headquarters' copy of a facility's stream, which may carry that
 * facility's events only), and with an envelope whose type and facility are the subject's. The consumer dead-letters such a
 * message and never handles it.
 */
export function provenanceProblem(
  message: DeliveredMessage,
  expected: ExpectedSource,
  envelope?: Pick<EventEnvelope, 'type' | 'facilityId'>,
): string | undefined {
  if (message.info.stream !== expected.stream)
    return `delivered from stream ${message.info.stream}, not from ${expected.stream}`;
  const source = message.headers?.get(STREAM_SOURCE_HEADER);
  const sourceFacility = source ? expected.trustedSources?.facilityOfSource(source) : undefined;
  if (source && sourceFacility === undefined)
    return `copied into ${expected.stream} from another stream (${STREAM_SOURCE_HEADER}: ${source}), not published there by its owner`;
  if (!subjectMatches(expected.wireFilter, message.subject))
    return `subject ${message.subject} is outside the consumer's filter ${expected.wireFilter}`;
  if (!envelope) return undefined;
  // fleet.<context>.<facility>.<EventType>
  const [, , facilityId, type] = expected.names.fromWire(message.subject).split('.');
  if (envelope.type !== type)
    return `a ${envelope.type} envelope on the subject of ${type ?? 'no'} events (${message.subject})`;
  if (envelope.facilityId !== facilityId)
    return `an event of facility ${envelope.facilityId} on facility ${facilityId ?? 'none'}'s subject (${message.subject})`;
  // A facility's stream speaks for that facility only: it cannot write another's history at HQ.
  if (sourceFacility !== undefined && envelope.facilityId !== sourceFacility)
    return `an event of facility ${envelope.facilityId} copied from facility ${sourceFacility}'s stream (${STREAM_SOURCE_HEADER}: ${source})`;
  return undefined;
}
