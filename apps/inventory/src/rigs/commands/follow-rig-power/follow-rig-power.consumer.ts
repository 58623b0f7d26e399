import {
  CurtailmentEnded,
  PowerAllocated,
  PowerReleased,
  RigsCurtailed,
  type EventEnvelope,
} from '@fleet/contracts';
import { JetStreamContext, OnEvent } from '@fleet/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { followRigPower } from './follow-rig-power';

/**
 * The saga step power → inventory: rigs follow power's allocations (online), releases (back to
 * installed), curtailments (curtailed) and their ends (online again, or installed), committed with
 * the inbox row before the ack.
 */
@Controller()
export class FollowRigPowerConsumer {
  private readonly logger = new Logger(FollowRigPowerConsumer.name);

  @OnEvent(PowerAllocated, { groupCommit: true })
  allocated(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(PowerReleased, { groupCommit: true })
  released(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(RigsCurtailed)
  curtailed(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(CurtailmentEnded)
  curtailmentEnded(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  private async follow(envelope: EventEnvelope, context: JetStreamContext): Promise<void> {
    const { changed, skipped } = await followRigPower(context.session, envelope);
    this.logger.log(
      `${envelope.type} ${envelope.eventId} (${envelope.facilityId}, delivery ${context.deliveryCount}): ` +
        `${changed} rigs followed${skipped > 0 ? `, ${skipped} left as they were` : ''}`,
    );
  }
}
