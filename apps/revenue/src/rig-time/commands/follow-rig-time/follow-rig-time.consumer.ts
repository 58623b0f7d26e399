import {
  CurtailmentEnded,
  PowerAllocated,
  PowerReleased,
  RigDecommissioned,
  RigInstalled,
  RigsCurtailed,
  RigSentToRepair,
  type EventEnvelope,
} from '@fleet/contracts';
import { JetStreamContext, OnEvent } from '@fleet/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { rigTimeChangesOf } from '../../domain/rig-time-change';
import { RigTimeReadModel } from '../../read-model/rig-time.read-model';

/**
 * Power and inventory → revenue's rig time: each event adds its changes to the facility's day sums
 * in the consumer's transaction, with the inbox row, before the ack (a redelivery adds nothing).
 * The sums commute, so the seven consumers need no order between them; many events commit together
 * (`groupCommit`): a 13,300-rig install is a few hundred transactions, not 13,300.
 */
@Controller()
export class FollowRigTimeConsumer {
  private readonly logger = new Logger(FollowRigTimeConsumer.name);

  constructor(private readonly rigTime: RigTimeReadModel) {}

  @OnEvent(PowerAllocated, { groupCommit: true })
  allocated(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(PowerReleased, { groupCommit: true })
  released(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(RigsCurtailed, { groupCommit: true })
  curtailed(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(CurtailmentEnded, { groupCommit: true })
  curtailmentEnded(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(RigInstalled, { groupCommit: true })
  installed(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(RigSentToRepair, { groupCommit: true })
  sentToRepair(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(RigDecommissioned, { groupCommit: true })
  decommissioned(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  private async follow(envelope: EventEnvelope, context: JetStreamContext): Promise<void> {
    const changes = rigTimeChangesOf(envelope);
    await this.rigTime.add(context.session.manager, changes);
    this.logger.debug(
      `${envelope.type} ${envelope.eventId} (${envelope.facilityId}, delivery ${context.deliveryCount}): ` +
        `${changes.length} rig-time sums changed`,
    );
  }
}
