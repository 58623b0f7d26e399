import {
  PurchaseOrderCancelled,
  PurchaseOrderPlaced,
  ShipmentDelayed,
  ShipmentDispatched,
  ShipmentUnitsDamaged,
  ShipmentUnitsReceived,
  type EventEnvelope,
} from '@fleet/contracts';
import { JetStreamContext, OnEvent } from '@fleet/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { followProcurementEvent } from './follow-procurement-event';

/**
 * What is coming to each facility, from procurement's events: one durable consumer per event type
 * (`power-PurchaseOrderPlaced`, …), each committing its upserts with its inbox row before the ack.
 */
@Controller()
export class FollowProcurementConsumer {
  @OnEvent(PurchaseOrderPlaced)
  placed(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return followProcurementEvent(context.session.manager, envelope);
  }

  @OnEvent(PurchaseOrderCancelled)
  cancelled(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return followProcurementEvent(context.session.manager, envelope);
  }

  @OnEvent(ShipmentDispatched)
  dispatched(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return followProcurementEvent(context.session.manager, envelope);
  }

  @OnEvent(ShipmentDelayed)
  delayed(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return followProcurementEvent(context.session.manager, envelope);
  }

  @OnEvent(ShipmentUnitsReceived)
  received(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return followProcurementEvent(context.session.manager, envelope);
  }

  @OnEvent(ShipmentUnitsDamaged)
  damaged(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return followProcurementEvent(context.session.manager, envelope);
  }
}
