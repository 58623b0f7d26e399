import {
  RigDecommissioned,
  RigInstalled,
  RigRegistered,
  RigReturnedFromRepair,
  RigSentToRepair,
  type EventEnvelope,
} from '@fleet/contracts';
import { JetStreamContext, OnEvent } from '@fleet/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PowerRigsReadModel } from '../../read-model/power-rigs.read-model';
import { followInventoryRig } from './follow-inventory-rig';

/**
 * Power's view of inventory's rigs: one durable consumer per event type (`power-RigInstalled`, …),
 * each committing the view (and any release) with its inbox row before the ack.
 */
@Controller()
export class FollowInventoryRigsConsumer {
  private readonly logger = new Logger(FollowInventoryRigsConsumer.name);

  constructor(private readonly rigs: PowerRigsReadModel) {}

  @OnEvent(RigRegistered)
  registered(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(RigInstalled)
  installed(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(RigSentToRepair)
  sentToRepair(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(RigReturnedFromRepair)
  returned(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(RigDecommissioned)
  decommissioned(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  private async follow(envelope: EventEnvelope, context: JetStreamContext): Promise<void> {
    const { rig, released } = await followInventoryRig(context.session, envelope, this.rigs);
    if (released > 0)
      this.logger.log(
        `${envelope.type} ${envelope.eventId} (${envelope.facilityId}): released the power of rig ${rig.id}`,
      );
  }
}
