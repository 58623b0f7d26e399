import { Inject, Injectable } from '@nestjs/common';
import {
  handleCommand,
  type CommandResult,
  type EventMetadata,
  type EventStore,
} from '@fleet/event-sourcing';
import { EVENT_STORE } from '@fleet/service-kit';
import type { OrderCommand } from './order.commands';
import { ORDER_STREAM_TYPE, orderDecider, orderSnapshots, orderStreamId } from './order.decider';
import type { OrderState } from './order.state';

/** Runs a command on its order stream: load (from a snapshot), decide, append; bounded retries. */
@Injectable()
export class OrderCommandHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(
    command: OrderCommand,
    metadata: EventMetadata,
    ifMatchVersion?: number,
  ): Promise<CommandResult<OrderState>> {
    return handleCommand(this.store, orderDecider, command, {
      streamId: orderStreamId(command.data.orderId),
      streamType: ORDER_STREAM_TYPE,
      metadata,
      ifMatchVersion,
      mustCreate: command.type === 'PlaceOrder',
      snapshots: orderSnapshots,
    });
  }
}
