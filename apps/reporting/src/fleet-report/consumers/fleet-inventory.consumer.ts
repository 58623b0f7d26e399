import type { EventEnvelope } from '@fleet/contracts';
import { JetStreamContext, OnContextEvents } from '@fleet/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { foldDeliveredEvent } from '../../report-kit/fold-event';
import { foldsOf } from '../../rebuild/report-sources';

/** The fleet report from inventory's stream, in its order: durable `reporting-inventory`. */
@Controller()
export class FleetInventoryConsumer {
  @OnContextEvents('inventory')
  fold(@Payload() envelope: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    return foldDeliveredEvent(envelope, context, foldsOf('inventory'));
  }
}
