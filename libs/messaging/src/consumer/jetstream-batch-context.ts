import type { JsMsg } from '@nats-io/jetstream';
import { BaseRpcContext } from '@nestjs/microservices';
import type { EventStoreSession } from '@fleet/event-sourcing';

/**
 * What a batch handler gets besides the envelopes (`@Ctx() ctx: JetStreamBatchContext`):
 * `session` is the open transaction that also holds every envelope's inbox row, so the handler's
 * effects commit with all of them, before any is acknowledged.
 */
export class JetStreamBatchContext extends BaseRpcContext<[readonly JsMsg[], EventStoreSession, string]> {
  constructor(messages: readonly JsMsg[], session: EventStoreSession, consumer: string) {
    super([messages, session, consumer]);
  }

  get session(): EventStoreSession {
    return this.args[1];
  }

  /** The durable consumer's name (`power-RigInstalled`). */
  get consumer(): string {
    return this.args[2];
  }

  /** The messages of the envelopes handed over, in the same order. Never ack them yourself. */
  get messages(): readonly JsMsg[] {
    return this.args[0];
  }

  /** How many envelopes the call carries: 1 when the consumer handles a message on its own. */
  get size(): number {
    return this.args[0].length;
  }
}
