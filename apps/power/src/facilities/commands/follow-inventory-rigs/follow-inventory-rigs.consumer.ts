import {
  RigDecommissioned,
  RigInstalled,
  RigRegistered,
  RigReturnedFromRepair,
  RigSentToRepair,
  type EventEnvelope,
} from '@fleet/contracts';
import { JetStreamBatchContext, OnEvent } from '@fleet/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PowerRigsReadModel } from '../../read-model/power-rigs.read-model';
import { followInventoryRigs } from './follow-inventory-rigs';

/**
 * Power's view of inventory's rigs: one durable consumer per event type (`power-RigInstalled`, …),
 * each committing the view (and any release) with its inbox rows before the ack. Each takes the
 * messages at hand at once (`batch`, up to 500): a bulk install of 13,300 rigs is a few hundred transactions
 * of a handful of statements each (inbox rows, the rigs' locks, a read, an insert, an update), not
 * statements per rig.
 */
/**
 * Each consumer hands over up to 500 events at once, and waits up to 50 ms for a run to gather: a
 * bulk install of 13,300 rigs, whether it arrives as a backlog or trickles in from inventory's
 * relay, is a hundred-odd transactions (each commit a sync to disk), not a thousand.
 */
const FOLLOW_RIGS = { batch: true, batchSize: 500, lingerMs: 50 } as const;

@Controller()
export class FollowInventoryRigsConsumer {
  private readonly logger = new Logger(FollowInventoryRigsConsumer.name);

  constructor(private readonly rigs: PowerRigsReadModel) {}

  @OnEvent(RigRegistered, FOLLOW_RIGS)
  registered(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    return this.follow(envelopes, context);
  }

  @OnEvent(RigInstalled, FOLLOW_RIGS)
  installed(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    return this.follow(envelopes, context);
  }

  @OnEvent(RigSentToRepair, FOLLOW_RIGS)
  sentToRepair(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    return this.follow(envelopes, context);
  }

  @OnEvent(RigReturnedFromRepair, FOLLOW_RIGS)
  returned(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    return this.follow(envelopes, context);
  }

  @OnEvent(RigDecommissioned, FOLLOW_RIGS)
  decommissioned(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    return this.follow(envelopes, context);
  }

  private async follow(envelopes: readonly EventEnvelope[], context: JetStreamBatchContext): Promise<void> {
    const { released } = await followInventoryRigs(context.session, envelopes, this.rigs);
    for (const { rigId, eventId } of released)
      this.logger.log(`${eventId} (${context.consumer}): released the power of rig ${rigId}`);
  }
}
