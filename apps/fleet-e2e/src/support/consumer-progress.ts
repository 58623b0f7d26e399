import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export interface ConsumerProgress {
  /** Stream sequence of the last message handed to the consumer. */
  readonly delivered: number;
  /** Every message up to this stream sequence is acknowledged (handled and committed). */
  readonly ackFloor: number;
  readonly pending: number;
  readonly ackPending: number;
  /**
   * Deliveries acknowledged in order (the ack floor's consumer sequence): the number of messages
   * handled, as long as none was delivered twice.
   */
  readonly acknowledged: number;
}

/**
 * Reads a durable consumer's progress from the NATS server itself, so a test can act on it
 * (kill a service mid-batch) without asking the busy service.
 */
export class ConsumerWatch {
  private constructor(
    private readonly close: () => Promise<void>,
    private readonly read: () => Promise<ConsumerProgress>,
  ) {}

  static async open(stream: string, durable: string): Promise<ConsumerWatch> {
    const nc = await connect({ servers: natsUrl, timeout: 3000 });
    const jsm = await jetstreamManager(nc);
    return new ConsumerWatch(
      () => nc.close(),
      async () => {
        const info = await jsm.consumers.info(stream, durable);
        return {
          delivered: info.delivered.stream_seq,
          ackFloor: info.ack_floor.stream_seq,
          pending: info.num_pending,
          ackPending: info.num_ack_pending,
          acknowledged: info.ack_floor.consumer_seq,
        };
      },
    );
  }

  progress(): Promise<ConsumerProgress> {
    return this.read();
  }

  dispose(): Promise<void> {
    return this.close();
  }
}
