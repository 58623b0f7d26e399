import type { JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { BaseRpcContext } from '@nestjs/microservices';
import type { EventStoreSession } from '@fleet/event-sourcing';

/**
 * What a handler gets besides the envelope (`@Ctx() ctx: JetStreamContext`). `session` is the open
 * transaction: write the handler's effects through it, and they commit together with the inbox
 * row, before the message is acknowledged.
 */
export class JetStreamContext extends BaseRpcContext<[JsMsg, EventStoreSession, string, string]> {
  constructor(message: JsMsg, session: EventStoreSession, consumer: string, subject: string) {
    super([message, session, consumer, subject]);
  }

  get session(): EventStoreSession {
    return this.args[1];
  }

  /** The durable consumer's name (`inventory-ShipmentUnitsReceived`). */
  get consumer(): string {
    return this.args[2];
  }

  /** The contracts' subject (`fleet.procurement.<facility>.ShipmentUnitsReceived`), namespace removed. */
  get subject(): string {
    return this.args[3];
  }

  /** 1 on the first delivery. */
  get deliveryCount(): number {
    return this.args[0].info.deliveryCount;
  }

  get redelivered(): boolean {
    return this.args[0].redelivered;
  }

  get stream(): string {
    return this.args[0].info.stream;
  }

  get streamSequence(): number {
    return this.args[0].info.streamSequence;
  }

  get headers(): MsgHdrs | undefined {
    return this.args[0].headers;
  }

  /** The raw message, for what the accessors above do not cover. Never ack it yourself. */
  get message(): JsMsg {
    return this.args[0];
  }
}
