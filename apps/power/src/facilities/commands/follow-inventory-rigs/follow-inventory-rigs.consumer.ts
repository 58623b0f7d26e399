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
 * each committing the view (and any release) with its inbox row before the ack. The messages at
 * hand commit together (`groupCommit`): a receipt of 13,300 rigs is a few hundred transactions, not
 * 13,300.
 */
@Controller()
export class FollowInventoryRigsConsumer {
  private readonly logger = new Logger(FollowInventoryRigsConsumer.name);

  constructor(private readonly rigs: PowerRigsReadModel) {}

  @OnEvent(RigRegistered, { groupCommit: true })
  registered(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
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

  @OnEvent(RigReturnedFromRepair, { groupCommit: true })
  returned(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return this.follow(envelope, context);
  }

  @OnEvent(RigDecommissioned, { groupCommit: true })
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
