import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, type CommandResult, type EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import type { OrderCommand } from './order.commands';
import { ORDER_STREAM_TYPE, orderDecider, orderSnapshots, orderStreamId } from './order.decider';
import { facilityOf, type OrderState } from './order.state';

export interface OrderCommandOptions {
  /** The client's `If-Match`. */
  readonly ifMatch?: number;
  /** When it happened, if the command itself carries the time (so events and data agree). */
  readonly occurredAt?: Date;
}

/**
 * Runs a command on its order stream: load (from a snapshot), decide, append; bounded retries.
 * The events' facility comes from the order itself, so no lookup is needed before the command.
 */
@Injectable()
export class OrderCommandHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(
    command: OrderCommand,
    context: RequestContext,
    options: OrderCommandOptions = {},
  ): Promise<CommandResult<OrderState>> {
    return handleCommand(this.store, orderDecider, command, {
      streamId: orderStreamId(command.data.orderId),
      streamType: ORDER_STREAM_TYPE,
      metadata: (order) => eventMetadata(context, facilityOf(order), null, options.occurredAt),
      ifMatchVersion: options.ifMatch,
      mustCreate: command.type === 'PlaceOrder',
      snapshots: orderSnapshots,
    });
  }
}
