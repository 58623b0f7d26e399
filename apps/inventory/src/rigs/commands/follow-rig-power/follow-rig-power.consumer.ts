import {
  CurtailmentEnded,
  PowerAllocated,
  PowerReleased,
  RigsCurtailed,
  type EventEnvelope,
} from '@fleet/contracts';
import { JetStreamBatchContext, OnEvent } from '@fleet/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { followRigPowerInRun } from './follow-rig-power';

/**
 * Power chunks its events (up to ~1,000 rigs each): powering on 13,300 rigs is 14 messages. Taking
 * the messages at hand together makes that one append of 13,300 rig streams in one transaction
 * rather than 14; 20 events at most bounds a run's transaction to ~20,000 rigs.
 */
const FOLLOW_POWER = { batch: true, batchSize: 20 } as const;

/**
 * The saga step power → inventory: rigs follow power's allocations (online), releases (back to
 * installed), curtailments (curtailed) and their ends (online again, or installed), committed with
 * the inbox rows of the run before the acks.
 */
@Controller()
export class FollowRigPowerConsumer {
  private readonly logger = new Logger(FollowRigPowerConsumer.name);

  @OnEvent(PowerAllocated, FOLLOW_POWER)
  allocated(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    return this.follow(envelopes, context);
  }

  @OnEvent(PowerReleased, FOLLOW_POWER)
  released(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    return this.follow(envelopes, context);
  }

  @OnEvent(RigsCurtailed, FOLLOW_POWER)
  curtailed(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    return this.follow(envelopes, context);
  }

  @OnEvent(CurtailmentEnded, FOLLOW_POWER)
  curtailmentEnded(
    @Payload() envelopes: readonly EventEnvelope[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    return this.follow(envelopes, context);
  }

  private async follow(envelopes: readonly EventEnvelope[], context: JetStreamBatchContext): Promise<void> {
    const outcomes = await followRigPowerInRun(context.session, envelopes);
    outcomes.forEach(({ changed, skipped }, index) => {
      const envelope = envelopes[index];
      const deliveryCount = context.messages[index]?.info.deliveryCount;
      this.logger.log(
        `${envelope.type} ${envelope.eventId} (${envelope.facilityId}, delivery ${deliveryCount}): ` +
          `${changed} rigs followed${skipped > 0 ? `, ${skipped} left as they were` : ''}`,
      );
    });
  }
}
