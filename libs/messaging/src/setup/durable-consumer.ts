import {
  AckPolicy,
  DeliverPolicy,
  ReplayPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { isConsumerNotFound } from './jetstream-errors';

export interface DurableConsumerSpec {
  readonly stream: string;
  /** Durable name, also the consumer's name in its inbox rows and dead letters. */
  readonly durable: string;
  /** One subject filter (NATS 2.9 has no multi-filter consumers). A wire subject. */
  readonly filterSubject: string;
  /**
   * Deliveries after which the server stops redelivering. Always finite: JetStream's default (-1)
   * redelivers a poison message forever.
   */
  readonly maxDeliver: number;
  /** How long a delivered message may stay unacknowledged before the server redelivers it. */
  readonly ackWaitMs: number;
  /** Unacknowledged messages the server lets the consumer hold at once. */
  readonly maxAckPending: number;
  /**
   * Server-side redelivery delays after an ack timeout, one per redelivery, fewer than
   * `maxDeliver` (nats-server 2.7.1+; on 2.9 the first step replaces `ack_wait`). Do not combine
   * with delayed naks: the server offsets a delayed nak from `ack_wait`, not from the backoff
   * step, so the nak's delay becomes backoff[n] − ack_wait + delay.
   */
  readonly backoffMs?: readonly number[];
  readonly description?: string;
}

/**
 * A durable pull consumer with explicit acks, created at start-up or brought in line with `spec`
 * when a setting changed (the ack floor and pending state survive an update). Settings the server
 * cannot change in place (deliver or ack policy) are refused with a line saying so.
 */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  spec: DurableConsumerSpec,
): Promise<ConsumerInfo> {
  validate(spec);
  const wanted = {
    description: spec.description ?? `Fleet consumer ${spec.durable}`,
    filter_subject: spec.filterSubject,
    max_deliver: spec.maxDeliver,
    ack_wait: nanos(spec.backoffMs?.length ? spec.backoffMs[0] : spec.ackWaitMs),
    max_ack_pending: spec.maxAckPending,
    backoff: spec.backoffMs?.length ? spec.backoffMs.map((ms) => nanos(ms)) : undefined,
  } satisfies Partial<ConsumerConfig>;

  let current: ConsumerInfo;
  try {
    current = await jsm.consumers.info(spec.stream, spec.durable);
  } catch (error) {
    if (!isConsumerNotFound(error)) throw error;
    try {
      return await jsm.consumers.add(spec.stream, {
        ...wanted,
        durable_name: spec.durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        replay_policy: ReplayPolicy.Instant,
      });
    } catch (createError) {
      // Another instance of the service created it at the same moment.
      try {
        current = await jsm.consumers.info(spec.stream, spec.durable);
      } catch {
        throw createError;
      }
    }
  }
  if (current.config.ack_policy !== AckPolicy.Explicit || current.config.deliver_subject)
    throw new Error(
      `consumer ${spec.durable} on ${spec.stream} exists but is not a pull consumer with explicit acks: delete it (nats consumer rm ${spec.stream} ${spec.durable}) and restart`,
    );
  if (matches(current.config, wanted)) return current;
  return jsm.consumers.update(spec.stream, spec.durable, {
    ...wanted,
    // An update without `backoff` keeps the old one; an empty list clears it.
    backoff: wanted.backoff ?? [],
  });
}

function validate(spec: DurableConsumerSpec): void {
  const problems: string[] = [];
  if (!Number.isInteger(spec.maxDeliver) || spec.maxDeliver < 1)
    problems.push(`maxDeliver must be a positive integer, not ${spec.maxDeliver}`);
  if (!(spec.ackWaitMs > 0)) problems.push(`ackWaitMs must be positive, not ${spec.ackWaitMs}`);
  if (!Number.isInteger(spec.maxAckPending) || spec.maxAckPending < 1)
    problems.push(`maxAckPending must be a positive integer, not ${spec.maxAckPending}`);
  if (spec.backoffMs && spec.backoffMs.length >= spec.maxDeliver)
    problems.push(
      `backoff needs fewer steps (${spec.backoffMs.length}) than maxDeliver (${spec.maxDeliver})`,
    );
  if (spec.backoffMs?.some((ms) => !(ms > 0))) problems.push('every backoff step must be positive');
  if (problems.length > 0) throw new Error(`consumer ${spec.durable}: ${problems.join('; ')}`);
}

function matches(
  current: ConsumerConfig,
  wanted: Pick<
    ConsumerConfig,
    'description' | 'filter_subject' | 'max_deliver' | 'ack_wait' | 'max_ack_pending' | 'backoff'
  >,
): boolean {
  const currentBackoff = current.backoff ?? [];
  const wantedBackoff = wanted.backoff ?? [];
  return (
    current.description === wanted.description &&
    current.filter_subject === wanted.filter_subject &&
    (current.filter_subjects ?? []).length === 0 &&
    current.max_deliver === wanted.max_deliver &&
    current.ack_wait === wanted.ack_wait &&
    current.max_ack_pending === wanted.max_ack_pending &&
    currentBackoff.length === wantedBackoff.length &&
    currentBackoff.every((step, index) => step === wantedBackoff[index])
  );
}
