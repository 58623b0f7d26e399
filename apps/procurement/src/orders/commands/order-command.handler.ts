import { Inject, Injectable } from '@nestjs/common';
import {
  handleCommand,
  type CommandOptions,
  type CommandResult,
  type EventStore,
} from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import type { OrderCommand } from '../domain/order.commands';
import { orderDecider, orderStreamOf } from '../domain/order.decider';
import { facilityOf, type OrderState } from '../domain/order.state';

export interface OrderCommandOptions<Answer> {
  /** The client's `If-Match`. */
  readonly ifMatch?: number;
  /** When it happened, if the command itself carries the time (so events and data agree). */
  readonly occurredAt?: Date;
  /** The read-back to answer with, in the command's transaction. */
  readonly answer?: CommandOptions<OrderState, Answer>['answer'];
}

/**
 * Every order use case runs its command the same way (its order's stream, the request's metadata,
 * snapshots), so the controllers say only what differs. The events' facility comes from the order
 * itself, so no lookup is needed before the command.
 */
@Injectable()
export class OrderCommandHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute<Answer = void>(
    command: OrderCommand,
    context: RequestContext,
    options: OrderCommandOptions<Answer> = {},
  ): Promise<CommandResult<OrderState, Answer>> {
    return handleCommand(this.store, orderDecider, command, {
      ...orderStreamOf(command),
      metadata: (order) => eventMetadata(context, facilityOf(order), null, options.occurredAt),
      ifMatchVersion: options.ifMatch,
      answer: options.answer,
    });
  }
}
