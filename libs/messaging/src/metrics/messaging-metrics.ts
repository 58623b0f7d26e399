/** How a consumer finished with one message. */
export type ConsumerOutcome = 'handled' | 'duplicate' | 'retried' | 'dead-lettered';

/**
 * Why a message went to the dead-letter stream. `untrusted-source`: it was not published to the
 * consumer's stream by the context's owner (see `provenanceProblem`).
 */
export type DeadLetterReason = 'invalid-envelope' | 'untrusted-source' | 'poison' | 'max-deliveries';

/**
 * What the messaging layer reports. The lib stays free of any metrics library: service-kit passes
 * a prom-client implementation, tests and tools take the no-op default.
 */
export interface MessagingMetrics {
  /** Events the relay got a JetStream ack for (duplicates included: they are acked too). */
  eventsPublished(stream: string, count: number): void;
  /** Events committed to the store and not yet checkpointed by the relay (head − checkpoint). */
  relayLag(stream: string, events: number): void;
  /** Messages matching the consumer's filter that the server has not delivered yet (`num_pending`). */
  consumerLag(consumer: string, pending: number): void;
  /**
   * Whether the consumer is stuck on a message it can neither finish nor give up (its dead-letter
   * publish keeps failing): it processes nothing else meanwhile. False again once it moves on.
   */
  consumerStalled(consumer: string, stalled: boolean): void;
  /** One message handled, skipped as a duplicate, sent back for retry, or dead-lettered. */
  messageProcessed(consumer: string, outcome: ConsumerOutcome, durationMs: number): void;
  deadLettered(consumer: string, reason: DeadLetterReason): void;
}

export const NO_MESSAGING_METRICS: MessagingMetrics = {
  eventsPublished: () => undefined,
  relayLag: () => undefined,
  consumerLag: () => undefined,
  consumerStalled: () => undefined,
  messageProcessed: () => undefined,
  deadLettered: () => undefined,
};
